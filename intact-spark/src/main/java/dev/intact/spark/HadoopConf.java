package dev.intact.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (Spark's {@code spark.hadoop.*} settings, the site's
 * core-site.xml, credentials providers) carried to executors, so they open {@code hdfs://} and
 * {@code s3a://} inputs with the settings the driver planned them with. Hadoop's {@link
 * Configuration} is {@code Writable}, not {@code Serializable}: it travels as its written bytes.
 */
// Broadcast once per job and never compared, so array identity semantics do not matter.
@SuppressWarnings("ArrayRecordComponent")
record HadoopConf(byte[] written) implements Serializable {

  static HadoopConf of(Configuration conf) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      conf.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Hadoop configuration", e);
    }
    return new HadoopConf(bytes.toByteArray());
  }

  Configuration configuration() throws IOException {
    Configuration conf = new Configuration(false);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(written))) {
      conf.readFields(in);
    }
    return conf;
  }
}
