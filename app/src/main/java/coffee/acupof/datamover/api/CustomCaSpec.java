package coffee.acupof.datamover.api;

/**
 * The CA certificate(s) the mover trusts for the remote's TLS endpoint, as VolSync's {@code customCA}:
 * one key of a Secret or of a ConfigMap (exactly one of the two names is set), PEM encoded.
 *
 * @param secretName the Secret holding the CA bundle, in the object's namespace
 * @param configMapName the ConfigMap holding the CA bundle, in the object's namespace
 * @param key the key holding the PEM bundle; {@code ca.crt} when absent
 */
public record CustomCaSpec(String secretName, String configMapName, String key) {
  public static final String DEFAULT_KEY = "ca.crt";

  public String keyOrDefault() {
    return key == null || key.isBlank() ? DEFAULT_KEY : key;
  }

  /** Whether the bundle is in a Secret (else in a ConfigMap). */
  public boolean inSecret() {
    return secretName != null && !secretName.isBlank();
  }
}
