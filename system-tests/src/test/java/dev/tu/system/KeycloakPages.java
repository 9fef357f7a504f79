package dev.tu.system;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person approving a device login on Keycloak's own pages, with an HTTP client that keeps cookies:
 * the verification page leads to the login form, then to the consent form ("Grant access to tu command
 * line?"), then to "Device Login Successful".
 */
final class KeycloakPages {

    private static final Pattern LOGIN_FORM = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CONSENT_FORM = Pattern.compile("action=\"([^\"]*login-actions/consent[^\"]*)\"");
    private static final Pattern CODE = Pattern.compile("name=\"code\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new LoopbackCookies())
            .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();

    /** Opens the verification address, logs in as {@code user} and grants access; returns the last page. */
    String approveDevice(URI verification, String user) throws IOException, InterruptedException {
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(verification).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> consent = post(login.uri(), find(LOGIN_FORM, login.body()),
                Map.of("username", user, "password", "dev-only-" + user, "credentialId", ""));
        Matcher consentForm = CONSENT_FORM.matcher(consent.body());
        if (!consentForm.find()) {
            return consent.body();
        }
        return post(consent.uri(), consentForm.group(1).replace("&amp;", "&"),
                Map.of("code", find(CODE, consent.body()), "accept", "Yes")).body();
    }

    private HttpResponse<String> post(URI page, String action, Map<String, String> form)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(page.resolve(action.replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException("Keycloak's page lacks " + pattern + ":\n" + html);
        }
        return matcher.group(1);
    }

    /**
     * Keeps every cookie Keycloak sets and sends them all back, like a browser on http://127.0.0.1 (a
     * secure context). The JDK's CookieManager drops Keycloak's {@code Secure} cookies over plain http.
     */
    private static final class LoopbackCookies extends CookieHandler {

        private final Map<String, String> cookies = new ConcurrentHashMap<>();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            return Map.of("Cookie", List.of(cookies.entrySet().stream()
                    .map(cookie -> cookie.getKey() + "=" + cookie.getValue()).collect(Collectors.joining("; "))));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) {
            headers.forEach((name, values) -> {
                if ("Set-Cookie".equalsIgnoreCase(name)) {
                    for (String value : values) {
                        String pair = value.split(";", 2)[0];
                        int equals = pair.indexOf('=');
                        if (equals > 0) {
                            String cookie = pair.substring(0, equals).trim();
                            String content = pair.substring(equals + 1).trim();
                            if (content.isEmpty()) {
                                cookies.remove(cookie); // Keycloak clears a cookie with an empty value
                            } else {
                                cookies.put(cookie, content);
                            }
                        }
                    }
                }
            });
        }
    }
}
