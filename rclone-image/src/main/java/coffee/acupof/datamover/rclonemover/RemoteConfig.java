package coffee.acupof.datamover.rclonemover;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the data goes and how rclone reaches it, from one of the contract's three forms: (a) the old operator's
 * S3 variables, (b) an rclone.conf with a section, (c) {@code REMOTE_*} variables; plus the optional crypt layer
 * ({@code ENCRYPTED_*}). Secrets end up only in {@link #environment()} (rclone's environment) or in the 0600 copy
 * of the rclone.conf, and every secret value is registered with the {@link Masker}.
 *
 * @param remoteName the remote's name as shown in {@code destination} ({@code s3}, {@code remote} or the section)
 * @param base the configured location, e.g. {@code s3:bucket/sub}
 * @param root where the operations read and write: {@code base}, or the crypt remote over it
 * @param encrypted whether {@code root} is the crypt layer
 * @param bucket form (a): the bucket spec that must exist ({@code s3:bucket})
 * @param endpoint form (a): the endpoint URL, for messages
 * @param configFile the rclone.conf rclone uses (the private copy, or an empty file)
 * @param caBundle the CA bundle for the remote's TLS endpoint
 * @param environment {@code RCLONE_CONFIG_*} variables that define the remotes (secrets included)
 * @param hints what to check, per kind of failure, in messages
 */
public record RemoteConfig(String remoteName, String base, String root, boolean encrypted, Optional<String> bucket,
    String endpoint, Path configFile, Optional<Path> caBundle, Map<String, String> environment, Hints hints) {

  /** The variables to name in a message, per kind of failure. */
  public record Hints(String credentials, String endpoint, String path) {}

  private static final String CRYPT = "dmcrypt";
  private static final Pattern HOST_NAME = Pattern.compile("^[^/\\s:]+$");
  private static final Pattern PORT = Pattern.compile("^[0-9]{1,5}$");
  private static final List<String> FORM_A_VARIABLES =
      List.of("BUCKET_NAME", "BUCKET_HOST", "BUCKET_PORT", "TLS_HOST", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

  /** The rclone spec of {@code sub} below {@code spec} ({@code s3:bkt} + {@code a/b} = {@code s3:bkt/a/b}). */
  public static String join(String spec, String sub) {
    if (sub == null || sub.isEmpty()) {
      return spec;
    }
    return spec.endsWith(":") || spec.endsWith("/") ? spec + sub : spec + "/" + sub;
  }

  /** {@code sub} below {@link #root()}. */
  public String at(String sub) {
    return join(root, sub);
  }

  /** What {@code sub} below the root is called in results and messages (the base remote's name and path). */
  public String display(String sub) {
    return join(base, sub);
  }

  /** Strips outer and repeated slashes; rejects {@code .} and {@code ..} segments. */
  public static Optional<String> normalisePath(String raw) {
    List<String> parts = new ArrayList<>();
    for (String part : raw.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals(".") || part.equals("..")) {
        return Optional.empty();
      }
      parts.add(part);
    }
    return Optional.of(String.join("/", parts));
  }

  /**
   * Parses the remote configuration.
   *
   * @param rclone a bare rclone (no remote configured) for {@code config providers}, {@code listremotes} and
   *     {@code obscure -}
   * @param work the private 0700 temp dir
   */
  public static RemoteConfig parse(Env env, Rclone rclone, Path work, Masker masker) {
    Builder builder = new Builder(env, rclone, work, masker);
    RemoteConfig base;
    if (env.isSet("MOVER_CONFIG_FILE")) {
      base = builder.fileForm();
    } else if (env.isSet("REMOTE_TYPE")) {
      base = builder.envForm();
    } else if (FORM_A_VARIABLES.stream().anyMatch(env::isSet)) {
      base = builder.s3Form();
    } else {
      throw MoverFailure.configuration("no remote configured: set either (b) MOVER_CONFIG_FILE + MOVER_CONFIG_SECTION"
          + " + MOVER_PATH, (c) REMOTE_TYPE + REMOTE_<OPTION>... + MOVER_PATH, or (a) AWS_ACCESS_KEY_ID,"
          + " AWS_SECRET_ACCESS_KEY, BUCKET_HOST, BUCKET_NAME (+ BUCKET_PORT, TLS_HOST, AWS_REGION)");
    }
    RemoteConfig withCrypt = builder.crypt(base);
    // Secret-looking variables (pass-through and the mover's own) are masked: rclone prints option values at
    // DEBUG level, access key ids included.
    Map<String, String> rcloneVariables = new LinkedHashMap<>(env.withPrefix("RCLONE_"));
    rcloneVariables.putAll(withCrypt.environment());
    rcloneVariables.forEach((name, value) -> {
      if (Masker.looksSecret(name)) {
        masker.add(value);
      }
    });
    return withCrypt.withCa(builder.caBundle());
  }

  private RemoteConfig withCa(Optional<Path> ca) {
    return new RemoteConfig(remoteName, base, root, encrypted, bucket, endpoint, configFile, ca, environment, hints);
  }

  /** The flags every rclone call gets from this configuration. */
  public List<String> flags() {
    List<String> flags = new ArrayList<>(List.of("--config", configFile.toString(), "--use-json-log"));
    caBundle.ifPresent(ca -> flags.addAll(List.of("--ca-cert", ca.toString())));
    return flags;
  }

  private static final class Builder {
    private final Env env;
    private final Rclone rclone;
    private final Path work;
    private final Masker masker;
    private JsonArray providers;

    Builder(Env env, Rclone rclone, Path work, Masker masker) {
      this.env = env;
      this.rclone = rclone;
      this.work = work;
      this.masker = masker;
    }

    RemoteConfig s3Form() {
      String bucket = env.get("BUCKET_NAME").orElseThrow(() -> MoverFailure.configuration(
          "BUCKET_NAME is required for the S3 form (AWS_*/BUCKET_* variables): set it to the bucket to use"));
      if (bucket.contains("/") || bucket.contains(" ")) {
        throw MoverFailure.configuration("BUCKET_NAME must be a bucket name without '/' or spaces, got '" + bucket
            + "' (put sub-paths in MOVER_PATH)");
      }
      String host = env.get("BUCKET_HOST").orElseThrow(() -> MoverFailure.configuration(
          "BUCKET_HOST is required for the S3 form: set it to the S3 endpoint host, e.g. s3.amazonaws.com or"
              + " minio.example.com"));
      if (!HOST_NAME.matcher(host).matches()) {
        throw MoverFailure.configuration("BUCKET_HOST must be a host name without scheme or path, got '" + host
            + "' (use TLS_HOST and BUCKET_PORT)");
      }
      boolean tls = env.bool("TLS_HOST", true);
      String port = env.get("BUCKET_PORT").orElse(tls ? "443" : "80");
      if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        throw MoverFailure.configuration("BUCKET_PORT must be a port number (1-65535), got '" + port + "'");
      }
      String scheme = tls ? "https" : "http";
      String endpoint = scheme + "://" + host + ":" + port;
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("RCLONE_CONFIG_S3_TYPE", "s3");
      vars.put("RCLONE_CONFIG_S3_PROVIDER", "Other");
      vars.put("RCLONE_CONFIG_S3_ENDPOINT", endpoint);
      vars.put("RCLONE_CONFIG_S3_REGION", env.get("AWS_REGION", "us-east-1"));
      vars.put("RCLONE_CONFIG_S3_FORCE_PATH_STYLE", "true");
      // Never create buckets implicitly: a typo in BUCKET_NAME must fail, and many policies forbid CreateBucket.
      vars.put("RCLONE_CONFIG_S3_NO_CHECK_BUCKET", "true");
      Optional<String> key = env.get("AWS_ACCESS_KEY_ID");
      Optional<String> secret = env.get("AWS_SECRET_ACCESS_KEY");
      secret.ifPresent(masker::add);
      if (key.isPresent() && secret.isPresent()) {
        vars.put("RCLONE_CONFIG_S3_ENV_AUTH", "false");
        vars.put("RCLONE_CONFIG_S3_ACCESS_KEY_ID", key.get());
        vars.put("RCLONE_CONFIG_S3_SECRET_ACCESS_KEY", secret.get());
      } else if (key.isEmpty() && secret.isEmpty()) {
        vars.put("RCLONE_CONFIG_S3_ENV_AUTH", "true"); // IAM role / web identity
      } else {
        throw MoverFailure.configuration(
            "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or neither, to use the pod's IAM identity)");
      }
      String sub = path(false);
      String base = "s3:" + bucket + (sub.isEmpty() ? "" : "/" + sub);
      return new RemoteConfig("s3", base, base, false, Optional.of("s3:" + bucket), endpoint, emptyConfig(),
          Optional.empty(), vars, new Hints("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
          "BUCKET_HOST, BUCKET_PORT and TLS_HOST (" + endpoint + ")",
          "BUCKET_NAME ('" + bucket + "') and MOVER_PATH"));
    }

    RemoteConfig fileForm() {
      Path file = Path.of(env.get("MOVER_CONFIG_FILE").orElseThrow());
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw MoverFailure.configuration("MOVER_CONFIG_FILE '" + file
            + "' does not exist or is not readable: mount the rclone.conf Secret there");
      }
      String section = env.get("MOVER_CONFIG_SECTION").orElseThrow(() -> MoverFailure.configuration(
          "MOVER_CONFIG_SECTION is required with MOVER_CONFIG_FILE: set it to the [section] of the rclone.conf"
              + " to use"));
      // rclone may rewrite its config (refreshed tokens); a Secret mount is read-only: use a private copy.
      Path copy = work.resolve("rclone.conf");
      List<String> lines;
      try {
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        lines = Files.readAllLines(copy, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw MoverFailure.configuration("cannot copy MOVER_CONFIG_FILE '" + file + "': " + e.getMessage());
      }
      for (String line : lines) {
        int eq = line.indexOf('=');
        if (eq > 0 && Masker.looksSecret(line.substring(0, eq).strip())) {
          masker.add(line.substring(eq + 1).strip());
        }
      }
      Path out = work.resolve("remotes.txt");
      rclone.run(Rclone.Call.of("--config", copy.toString(), "listremotes").to(out));
      List<String> sections = readLines(out).stream().map(s -> s.replaceAll(":$", "")).toList();
      if (!sections.contains(section)) {
        throw MoverFailure.configuration("section '" + section + "' not found in MOVER_CONFIG_FILE; it defines: "
            + String.join(" ", sections));
      }
      if (!env.isSet("MOVER_PATH")) {
        throw MoverFailure.configuration("MOVER_PATH is required with MOVER_CONFIG_FILE: set it to the bucket and"
            + " path, e.g. my-bucket/my-pvc");
      }
      String base = section + ":" + path(true);
      return new RemoteConfig(section, base, base, false, Optional.empty(), "", copy, Optional.empty(), Map.of(),
          new Hints("the credentials in section [" + section + "] of MOVER_CONFIG_FILE",
              "the endpoint in section [" + section + "] of MOVER_CONFIG_FILE",
              "MOVER_PATH ('" + path(true) + "')"));
    }

    RemoteConfig envForm() {
      String type = env.get("REMOTE_TYPE").orElseThrow();
      if (backend(type).isEmpty()) {
        throw MoverFailure.configuration("REMOTE_TYPE '" + type
            + "' is not an rclone backend (e.g. s3, gcs, azureblob, sftp, webdav)");
      }
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("RCLONE_CONFIG_REMOTE_TYPE", type);
      env.withPrefix("REMOTE_").forEach((name, value) -> {
        if (!name.equals("REMOTE_TYPE")) {
          option(vars, "remote", type, name.substring("REMOTE_".length()).toLowerCase(Locale.ROOT), value);
        }
      });
      if (!env.isSet("MOVER_PATH")) {
        throw MoverFailure.configuration("MOVER_PATH is required with REMOTE_TYPE: set it to the bucket and path,"
            + " e.g. my-bucket/my-pvc");
      }
      String base = "remote:" + path(true);
      return new RemoteConfig("remote", base, base, false, Optional.empty(), "", emptyConfig(), Optional.empty(),
          vars, new Hints("the REMOTE_* credentials", "REMOTE_ENDPOINT (or the backend's host option)",
          "MOVER_PATH ('" + path(true) + "')"));
    }

    RemoteConfig crypt(RemoteConfig config) {
      if (!env.isSet("ENCRYPTED_PASSWORD")) {
        return config;
      }
      if (config.remoteName().equals(CRYPT)) {
        throw MoverFailure.configuration(
            "the remote name 'dmcrypt' is reserved for the encryption layer; rename the section");
      }
      Map<String, String> vars = new LinkedHashMap<>(config.environment());
      vars.put("RCLONE_CONFIG_DMCRYPT_TYPE", "crypt");
      vars.put("RCLONE_CONFIG_DMCRYPT_REMOTE", config.base());
      env.withPrefix("ENCRYPTED_").forEach((name, value) -> {
        String opt = name.substring("ENCRYPTED_".length()).toLowerCase(Locale.ROOT);
        if (!opt.equals("type") && !opt.equals("remote")) {
          option(vars, CRYPT, "crypt", opt, value);
        }
      });
      return new RemoteConfig(config.remoteName(), config.base(), CRYPT + ":", true, config.bucket(),
          config.endpoint(), config.configFile(), config.caBundle(), vars, config.hints());
    }

    Optional<Path> caBundle() {
      Optional<String> raw = env.get("MOVER_CA_BUNDLE").or(() -> env.get("AWS_CA_BUNDLE"));
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      Path ca = Path.of(raw.get());
      if (!Files.isRegularFile(ca) || !Files.isReadable(ca)) {
        throw MoverFailure.configuration("CA bundle '" + ca
            + "' (MOVER_CA_BUNDLE) does not exist or is not readable");
      }
      try {
        if (!Files.readString(ca, StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
          throw MoverFailure.configuration("CA bundle '" + ca + "' (MOVER_CA_BUNDLE) contains no PEM certificate");
        }
      } catch (IOException e) {
        throw MoverFailure.configuration("CA bundle '" + ca + "' (MOVER_CA_BUNDLE) cannot be read: " + e.getMessage());
      }
      return Optional.of(ca);
    }

    private String path(boolean required) {
      String raw = env.get("MOVER_PATH", "");
      String path = normalisePath(raw).orElseThrow(() -> MoverFailure.configuration(
          "MOVER_PATH must not contain '.' or '..' segments, got '" + raw + "'"));
      if (required && path.isEmpty()) {
        throw MoverFailure.configuration("MOVER_PATH is required: set it to the bucket and path");
      }
      return path;
    }

    /** Sets {@code RCLONE_CONFIG_<REMOTE>_<OPTION>}, obscuring the options rclone expects obscured. */
    private void option(Map<String, String> vars, String remote, String backend, String opt, String value) {
      String stored = value;
      if (isPassword(backend, opt)) {
        masker.add(value);
        stored = obscure(value).orElseThrow(() -> MoverFailure.configuration(
            "could not obscure the value of option '" + opt + "' for the " + backend + " remote"));
      }
      if (Masker.looksSecret(opt)) {
        masker.add(stored);
      }
      vars.put("RCLONE_CONFIG_" + remote.toUpperCase(Locale.ROOT) + "_" + opt.toUpperCase(Locale.ROOT), stored);
    }

    private Optional<String> obscure(String value) {
      Path out = work.resolve("obscured.txt");
      try {
        Rclone.Outcome outcome = rclone.run(Rclone.Call.of("obscure", "-").to(out)
            .input(value.getBytes(StandardCharsets.UTF_8)));
        if (!outcome.ok()) {
          return Optional.empty();
        }
        String obscured = Files.readString(out, StandardCharsets.UTF_8).strip();
        masker.add(obscured);
        return obscured.isEmpty() ? Optional.empty() : Optional.of(obscured);
      } catch (IOException e) {
        return Optional.empty();
      } finally {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // inside the private temp dir, removed at exit
        }
      }
    }

    private Optional<JsonElement> backend(String type) {
      for (JsonElement provider : providers()) {
        if (provider.getAsJsonObject().get("Name").getAsString().equals(type)) {
          return Optional.of(provider);
        }
      }
      return Optional.empty();
    }

    private boolean isPassword(String backend, String opt) {
      return backend(backend).map(b -> b.getAsJsonObject().getAsJsonArray("Options"))
          .map(options -> {
            for (JsonElement option : options) {
              var o = option.getAsJsonObject();
              if (o.get("Name").getAsString().equals(opt) && o.has("IsPassword")
                  && o.get("IsPassword").getAsBoolean()) {
                return true;
              }
            }
            return false;
          }).orElse(false);
    }

    private JsonArray providers() {
      if (providers == null) {
        Path out = work.resolve("providers.json");
        rclone.run(Rclone.Call.of("config", "providers").to(out));
        try {
          JsonElement parsed = JsonParser.parseString(Files.readString(out, StandardCharsets.UTF_8));
          providers = parsed.isJsonArray() ? parsed.getAsJsonArray() : new JsonArray();
        } catch (IOException | RuntimeException e) {
          providers = new JsonArray();
        }
      }
      return providers;
    }

    private Path emptyConfig() {
      Path empty = work.resolve("empty-rclone.conf");
      try {
        if (!Files.exists(empty)) {
          Files.createFile(empty, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return empty;
    }

    private static List<String> readLines(Path file) {
      try {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
