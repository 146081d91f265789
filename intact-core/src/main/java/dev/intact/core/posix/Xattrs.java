package dev.intact.core.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extended attributes through the FFM API: get, set, list and remove, on a path (symbolic links are
 * not followed: the {@code l*} calls) or on an open descriptor (the {@code f*} calls, so a record
 * lands on the very file that was read even if its name is replaced meanwhile).
 *
 * <p>Names are bytes on Linux; they are handled here as UTF-8 text, and a listed name that is not
 * valid UTF-8 is returned with replacement characters (it can then not be read back by name, which
 * the callers report as a malformed name). A file system that stores no user attributes (ramfs,
 * vfat, some FUSE ones) fails with {@link XattrsUnsupportedException}.
 */
@SuppressWarnings("restricted") // FFM downcalls: the launcher passes --enable-native-access
public final class Xattrs {
  /** Largest value Linux accepts for one attribute (XATTR_SIZE_MAX). */
  public static final int MAX_VALUE = 65536;

  static final int ENODATA = 61;
  static final int ERANGE = 34;
  static final int ENOTSUP = 95;
  private static final int EINTR = 4;
  private static final int EEXIST = 17;
  private static final int XATTR_CREATE = 1;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  // Handles are made on first use (holder classes), as Posix does: each costs start-up time.
  private static final class Get {
    static final MethodHandle PATH =
        downcall("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle FD =
        downcall("fgetxattr", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
  }

  private static final class Set {
    static final MethodHandle PATH =
        downcall("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    static final MethodHandle FD =
        downcall("fsetxattr", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
  }

  private static final class ListNames {
    static final MethodHandle PATH = downcall("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    static final MethodHandle FD = downcall("flistxattr", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  }

  private static final class Remove {
    static final MethodHandle PATH = downcall("lremovexattr", JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle FD = downcall("fremovexattr", JAVA_INT, JAVA_INT, ADDRESS);
  }

  private static final class Strerror {
    static final MethodHandle HANDLE =
        LINKER.downcallHandle(
            LIBC.findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
  }

  /** Where the attributes are: a path (links not followed) or an open descriptor of it. */
  public sealed interface Target permits OnPath, OnDescriptor {
    /** The file's name, for messages. */
    String name();
  }

  /**
   * The attributes of the file at {@code path} itself (a symbolic link's own, never its target).
   */
  public record OnPath(Path path) implements Target {
    @Override
    public String name() {
      return path.toString();
    }
  }

  /** The attributes of the file open as descriptor {@code fd}; {@code name} is for messages. */
  public record OnDescriptor(int fd, String name) implements Target {}

  private Xattrs() {}

  private static MethodHandle downcall(String name, ValueLayout result, ValueLayout... args) {
    return LINKER.downcallHandle(
        LIBC.findOrThrow(name),
        FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"));
  }

  /**
   * The value of attribute {@code name}, or empty if the file has none of that name.
   *
   * @throws XattrsUnsupportedException if the file system stores no user attributes
   * @throws IOException for any other failure, naming the call and the file
   */
  public static Optional<byte[]> get(Target target, String name) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment cName = arena.allocateFrom(name);
      MemorySegment buf = arena.allocate(MAX_VALUE);
      long n;
      do {
        n =
            switch (target) {
              case OnPath p ->
                  (long)
                      Get.PATH.invokeExact(
                          state, Posix.cString(arena, p.path()), cName, buf, buf.byteSize());
              case OnDescriptor d ->
                  (long) Get.FD.invokeExact(state, d.fd(), cName, buf, buf.byteSize());
            };
      } while (n < 0 && errno(state) == EINTR);
      if (n < 0) {
        int errno = errno(state);
        if (errno == ENODATA) {
          return Optional.empty();
        }
        throw failure("getxattr(" + name + ")", target, errno);
      }
      return Optional.of(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Sets attribute {@code name} to {@code value}, replacing any value it had.
   *
   * @throws XattrsUnsupportedException if the file system stores no user attributes
   */
  public static void set(Target target, String name, byte[] value) throws IOException {
    setWithFlags(target, name, value, 0);
  }

  /**
   * Sets attribute {@code name} only if the file has none of that name yet.
   *
   * @return false if it already had one (left unchanged)
   */
  public static boolean create(Target target, String name, byte[] value) throws IOException {
    try {
      setWithFlags(target, name, value, XATTR_CREATE);
      return true;
    } catch (NativeIoException e) {
      if (e.errno() == EEXIST) {
        return false;
      }
      throw e;
    }
  }

  private static void setWithFlags(Target target, String name, byte[] value, int flags)
      throws IOException {
    if (value.length > MAX_VALUE) {
      throw new IllegalArgumentException(
          "attribute values are at most " + MAX_VALUE + " bytes, not " + value.length);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment cName = arena.allocateFrom(name);
      MemorySegment buf = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, value.length);
      int rc;
      do {
        rc =
            switch (target) {
              case OnPath p ->
                  (int)
                      Set.PATH.invokeExact(
                          state,
                          Posix.cString(arena, p.path()),
                          cName,
                          buf,
                          (long) value.length,
                          flags);
              case OnDescriptor d ->
                  (int) Set.FD.invokeExact(state, d.fd(), cName, buf, (long) value.length, flags);
            };
      } while (rc < 0 && errno(state) == EINTR);
      if (rc < 0) {
        throw failure("setxattr(" + name + ")", target, errno(state));
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The names of the file's attributes (of every namespace the caller may see), in list order. */
  public static List<String> list(Target target) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment path = target instanceof OnPath p ? Posix.cString(arena, p.path()) : null;
      // Linux caps the list at XATTR_LIST_MAX (64 KiB), so one buffer of that size always fits.
      MemorySegment buf = arena.allocate(MAX_VALUE);
      long n;
      do {
        n =
            switch (target) {
              case OnPath p -> (long) ListNames.PATH.invokeExact(state, path, buf, buf.byteSize());
              case OnDescriptor d ->
                  (long) ListNames.FD.invokeExact(state, d.fd(), buf, buf.byteSize());
            };
      } while (n < 0 && errno(state) == EINTR);
      if (n < 0) {
        int errno = errno(state);
        if (errno == ENOTSUP) {
          return List.of(); // a file system without attributes has none to list
        }
        throw failure("listxattr", target, errno);
      }
      byte[] bytes = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
      List<String> names = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == 0) {
          if (i > start) {
            names.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          }
          start = i + 1;
        }
      }
      return names;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Removes attribute {@code name}.
   *
   * @return false if the file had none of that name
   */
  public static boolean remove(Target target, String name) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment cName = arena.allocateFrom(name);
      int rc;
      do {
        rc =
            switch (target) {
              case OnPath p ->
                  (int) Remove.PATH.invokeExact(state, Posix.cString(arena, p.path()), cName);
              case OnDescriptor d -> (int) Remove.FD.invokeExact(state, d.fd(), cName);
            };
      } while (rc < 0 && errno(state) == EINTR);
      if (rc < 0) {
        int errno = errno(state);
        if (errno == ENODATA) {
          return false;
        }
        throw failure("removexattr(" + name + ")", target, errno);
      }
      return true;
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static int errno(MemorySegment state) {
    return state.get(JAVA_INT, ERRNO_OFFSET);
  }

  private static IOException failure(String operation, Target target, int errno) {
    String reason = strerror(errno);
    if (errno == ENOTSUP) {
      return new XattrsUnsupportedException(target.name(), operation + " failed: " + reason);
    }
    return new NativeIoException(operation, target.name(), errno, reason);
  }

  private static String strerror(int errno) {
    try {
      MemorySegment text = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
      return text.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("unexpected exception from a native call", t);
  }
}
