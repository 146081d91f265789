package dev.intact.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationsTest {
  @Test
  void hadoopUrisAreNotLocalEvenWithSpacesInTheirNames() {
    assertThat(Locations.isLocal("hdfs://nn:8020/images/disk.raw")).isFalse();
    assertThat(Locations.isLocal("s3a://bucket/a b/c")).isFalse();
    assertThat(Locations.isLocal("intacttest:///tmp/f1 with space")).isFalse();
  }

  @Test
  void plainPathsAndFileUrisAreLocalAndColonsInNamesAreNotSchemes() {
    assertThat(Locations.isLocal("/tmp/x")).isTrue();
    assertThat(Locations.isLocal("relative/a:b")).isTrue();
    assertThat(Locations.isLocal("/x/y:/z")).isTrue();
    assertThat(Locations.isLocal("2024:/x")).isTrue();
    assertThat(Locations.isLocal("file:///tmp/a b")).isTrue();
    assertThat(Locations.local("file:///tmp/a b")).isEqualTo(Path.of("/tmp/a b"));
    assertThat(Locations.local("rel/a:b")).isEqualTo(Path.of("rel/a:b"));
  }
}
