package coffee.acupof.datamover.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;

/** Turns an {@link ApiException} into the one line a user needs: the server's Status message. */
public final class ApiErrors {
  private ApiErrors() {}

  public static String message(ApiException e) {
    String body = e.getResponseBody();
    if (body != null && !body.isBlank()) {
      try {
        JsonObject status = JsonParser.parseString(body).getAsJsonObject();
        if (status.has("message")) {
          return status.get("message").getAsString();
        }
      } catch (RuntimeException notJson) {
        // fall through to the exception's own text
      }
    }
    if (e.getCode() == 0) {
      return "no response from the API server (" + e.getMessage() + ")";
    }
    return "HTTP " + e.getCode();
  }
}
