package coffee.acupof.datamover.api;

/**
 * A remote configured as VolSync users write it: a Secret holding an {@code rclone.conf} and the
 * {@code [section]} of it to use. The mover reads the file from a read-only Secret volume; the
 * operator only checks that the Secret has the key.
 *
 * @param secretName the Secret, in the object's namespace (VolSync's {@code rcloneConfig})
 * @param key the key of the Secret that holds the file; {@code rclone.conf} when absent
 * @param section the section of the file that defines the remote (VolSync's {@code rcloneConfigSection})
 */
public record RcloneConfigSpec(String secretName, String key, String section) {
  public static final String DEFAULT_KEY = "rclone.conf";

  public String keyOrDefault() {
    return key == null || key.isBlank() ? DEFAULT_KEY : key;
  }
}
