package dev.intact.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intact.core.testing.ExternalTool;
import dev.intact.core.testing.NoXattrFileSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XattrsTest {
  private static final ExternalTool GETFATTR = ExternalTool.of("getfattr", "attr");
  private static final ExternalTool SETFATTR = ExternalTool.of("setfattr", "attr");

  @TempDir Path dir;

  @Test
  void valueSetOnAPathIsWhatGetfattrReadsAndTheOtherWayRound() throws IOException {
    Path f = Files.createFile(dir.resolve("f"));
    Xattrs.OnPath target = new Xattrs.OnPath(f);

    Xattrs.set(target, "user.intact.test", "hello".getBytes(StandardCharsets.UTF_8));
    SETFATTR.run("-n", "user.peer", "-v", "0x00ff10", f.toString());

    assertThat(GETFATTR.run("--only-values", "-n", "user.intact.test", f.toString()))
        .isEqualTo("hello");
    assertThat(Xattrs.get(target, "user.peer"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(0, 0xff, 0x10));
    assertThat(Xattrs.list(target)).contains("user.intact.test", "user.peer");
  }

  @Test
  void descriptorCallsReachTheOpenFile() throws IOException {
    Path f = Files.createFile(dir.resolve("f"));
    try (NativeFile file = Posix.open(f, Posix.O_RDONLY, 0)) {
      Xattrs.OnDescriptor target = new Xattrs.OnDescriptor(file.fd(), f.toString());

      Xattrs.set(target, "user.a", new byte[] {1, 2, 3});
      assertThat(Xattrs.get(target, "user.a"))
          .hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
      assertThat(Xattrs.list(target)).containsExactly("user.a");
      assertThat(Xattrs.remove(target, "user.a")).isTrue();
      assertThat(Xattrs.remove(target, "user.a")).isFalse();
      assertThat(Xattrs.get(target, "user.a")).isEmpty();
    }
  }

  @Test
  void createRefusesToReplaceAnExistingValue() throws IOException {
    Xattrs.OnPath target = new Xattrs.OnPath(Files.createFile(dir.resolve("f")));

    assertThat(Xattrs.create(target, "user.once", new byte[] {1})).isTrue();
    assertThat(Xattrs.create(target, "user.once", new byte[] {2})).isFalse();
    assertThat(Xattrs.get(target, "user.once"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(1));
  }

  @Test
  void emptyValueIsStoredAsEmpty() throws IOException {
    Xattrs.OnPath target = new Xattrs.OnPath(Files.createFile(dir.resolve("f")));

    Xattrs.set(target, "user.empty", new byte[0]);

    assertThat(Xattrs.get(target, "user.empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
  }

  @Test
  void symbolicLinkIsNotFollowed() throws IOException {
    Path f = Files.createFile(dir.resolve("f"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), f);
    Xattrs.set(new Xattrs.OnPath(f), "user.x", new byte[] {1});

    // Links carry no user attributes on Linux: reading the link's own gives nothing, and writing
    // is refused, rather than touching the target.
    assertThat(Xattrs.get(new Xattrs.OnPath(link), "user.x")).isEmpty();
    assertThatThrownBy(() -> Xattrs.set(new Xattrs.OnPath(link), "user.y", new byte[] {1}))
        .isInstanceOf(IOException.class);
  }

  @Test
  void missingFileFailsNamingTheCallAndTheFile() {
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> Xattrs.get(new Xattrs.OnPath(missing), "user.x"))
        .isInstanceOf(NativeIoException.class)
        .hasMessage("getxattr(user.x) on " + missing + " failed: No such file or directory");
  }

  @Test
  void fileSystemWithoutUserAttributesPointsToTheManifest() throws IOException {
    Path mount = Files.createDirectory(dir.resolve("ramfs"));
    try (NoXattrFileSystem fs = NoXattrFileSystem.mount(mount)) {
      Path f = Files.writeString(fs.root().resolve("f"), "x");
      Xattrs.OnPath target = new Xattrs.OnPath(f);

      assertThatThrownBy(() -> Xattrs.set(target, "user.x", new byte[] {1}))
          .isInstanceOf(XattrsUnsupportedException.class)
          .hasMessageContaining(f + ": the file system stores no user extended attributes")
          .hasMessageContaining("--manifest FILE");
      assertThat(Xattrs.list(target)).isEmpty();
    }
  }
}
