package dev.tu.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tu.testsupport.HostileImages;
import dev.tu.testsupport.Keycloak;
import dev.tu.testsupport.Service;
import dev.tu.testsupport.ServiceProcess;
import dev.tu.testsupport.Suite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API4 (unrestricted resource consumption) and API8 (misconfiguration) at the upload: files that lie
 * about what they are, would exhaust a decoder, are cut off, carry hostile metadata or hostile names,
 * are too big or arrive too slowly. Each is refused with a code, nothing is stored, and the ingestion
 * service's memory stays flat. A payload appended after the image is refused (the file no longer ends like
 * one); a polyglot that ends like a JPEG again is accepted and neutralised downstream: {@link ObjectLevelIT}
 * proves the derivative drops it and the original is served only as a nosniff attachment.
 */
class HostileUploadsIT {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String ASSET = "HOSTILE-" + UUID.randomUUID().toString().substring(0, 8);
    private static Suite suite;
    private static URI gateway;
    private static String alice;
    private static int storedBefore;

    @BeforeAll
    static void suite() {
        suite = Suite.shared();
        gateway = suite.get(Service.API_GATEWAY).baseUri();
        alice = Keycloak.local().accessToken("alice");
        storedBefore = ObjectStore.count("originals/acme/");
    }

    @Test
    void filesThatAreNotWhatTheySayAreRefusedWithCodes() {
        byte[] jpeg = HostileImages.jpeg(640, 480);
        Map<String, Refusal> cases = new LinkedHashMap<>();
        cases.put("a PHP script declared image/jpeg", new Refusal(HostileImages.script(), "image/jpeg", 415, "NOT_AN_IMAGE"));
        cases.put("a PNG declared image/jpeg", new Refusal(HostileImages.png(64, 64), "image/jpeg", 415, "CONTENT_TYPE_MISMATCH"));
        cases.put("an SVG with a script", new Refusal(HostileImages.svgWithScript(), "image/svg+xml", 415, "NOT_AN_IMAGE"));
        cases.put("an SVG with a script declared image/png", new Refusal(HostileImages.svgWithScript(), "image/png", 415, "NOT_AN_IMAGE"));
        cases.put("HTML declared octet-stream", new Refusal("<html><script>alert(1)</script></html>"
                .getBytes(StandardCharsets.UTF_8), "application/octet-stream", 415, "NOT_AN_IMAGE"));
        cases.put("a PNG bomb (100000×100000 declared)", new Refusal(HostileImages.pngBomb(100_000, 100_000), "image/png",
                422, "DIMENSIONS_TOO_LARGE"));
        cases.put("a JPEG bomb (65000×65000 declared)", new Refusal(HostileImages.jpegWithForgedSize(jpeg, 65_000, 65_000),
                "image/jpeg", 422, "DIMENSIONS_TOO_LARGE"));
        cases.put("a truncated JPEG", new Refusal(HostileImages.truncated(jpeg, 0.6), "image/jpeg", 422, "TRUNCATED_IMAGE"));
        cases.put("a truncated PNG", new Refusal(HostileImages.truncated(HostileImages.png(200, 200), 0.5), "image/png",
                422, null));
        cases.put("random bytes that start like a JPEG", new Refusal(HostileImages.jpegLookalike(4096), "image/jpeg",
                422, "CORRUPT_IMAGE"));
        cases.put("a JPEG with an archive and a script appended", new Refusal(HostileImages.appended(jpeg,
                HostileImages.script()), "image/jpeg", 422, "TRUNCATED_IMAGE"));
        cases.put("an empty file", new Refusal(new byte[0], "image/jpeg", 400, "EMPTY_FILE"));
        cases.forEach((attack, refusal) -> assertRefused(upload(refusal.bytes(), refusal.type(), "photo.jpg"), attack,
                refusal.status(), refusal.code()));
        assertNothingStored();
    }

    @Test
    void hostileFileNamesAreRefused() {
        byte[] jpeg = HostileImages.jpeg(64, 64);
        for (String name : new String[] {"../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/cron.d/x.jpg",
                "photo.jpg\u0000.php", "photo\r\nX-Injected: 1.jpg", "a".repeat(1024) + ".jpg", ".htaccess",
                "-rf.jpg", "<img src=x onerror=alert(1)>.jpg"}) {
            HttpResponse<String> response = upload(jpeg, "image/jpeg", name);
            assertThat(response.statusCode()).as("file name %s: %s", printable(name), response.body()).isEqualTo(400);
            assertThat(response.body()).as(printable(name)).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertNothingStored();
    }

    /** EXIF text is data, never markup or SQL: the upload is accepted and no field of it is echoed or trusted. */
    @Test
    void hostileExifStringsAreNeutralised() {
        String hostile = "<script>alert(1)</script>'; DROP TABLE images; -- ${jndi:ldap://127.0.0.1/x} %n%s%s"
                + "\u202Egpj.exe" + "A".repeat(2000);
        HttpResponse<String> response = upload(HostileImages.jpegWithExif(HostileImages.jpeg(64, 48), hostile),
                "image/jpeg", "exif.jpg");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode image = json.readTree(response.body()).path("image");
        assertThat(response.body()).doesNotContain("<script>").doesNotContain("DROP TABLE").doesNotContain("jndi");
        assertThat(image.path("capturedAt").isNull()).as("a hostile DateTimeOriginal is not a date").isTrue();
        assertThat(image.path("width").asInt()).isEqualTo(64);
        HttpResponse<String> read = Http.get(gateway.resolve("api/v1/images/" + image.path("id").asString()), alice);
        assertThat(read.body()).doesNotContain("<script>").doesNotContain("DROP TABLE");
        assertThat(Http.get(gateway.resolve("api/v1/images?assetId=" + ASSET), alice).statusCode())
                .as("the service still answers").isEqualTo(200);
    }

    @Test
    void anOversizedBodyIs413AtTheEdgeAndAtTheService() {
        byte[] big = new byte[23 * 1024 * 1024];
        System.arraycopy(HostileImages.jpeg(16, 16), 0, big, 0, 100);
        HttpResponse<String> edge = upload(big, "image/jpeg", "big.jpg");
        assertThat(edge.statusCode()).as("23 MB through the gateway: %s", edge.body()).isEqualTo(413);
        assertThat(edge.body()).doesNotContain("Exception");
        HttpResponse<String> direct = Http.post(suite.get(Service.INGESTION).baseUri().resolve("api/v1/images"), alice,
                new Multipart().file(new byte[21 * 1024 * 1024], "image/jpeg", "big.jpg"), Map.of());
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(413);
        assertThat(direct.body()).contains("FILE_TOO_LARGE");
        assertNothingStored();
    }

    /**
     * A body that stops arriving (slowloris on the upload), at the edge and at the service: the connection
     * is given up within the read timeout instead of holding a thread and a buffer for it; nothing is stored.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Service.class, names = {"API_GATEWAY", "INGESTION"})
    void aBodyThatStopsArrivingIsDropped(Service entry) throws IOException {
        ServiceProcess target = suite.get(entry);
        Multipart multipart = new Multipart().file(HostileImages.jpeg(640, 480), "image/jpeg", "slow.jpg");
        byte[] body = multipart.bytes();
        try (Socket socket = new Socket("127.0.0.1", target.baseUri().getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(70).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/images?assetId=" + ASSET + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + alice + "\r\nContent-Type: " + multipart.contentType() + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 3);
            out.flush();
            Instant stalled = Instant.now();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes();
            Duration held = Duration.between(stalled, Instant.now());
            String status = new String(answer, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("(closed)");
            assertThat(held).as("the connection was dropped (%s) after %s", status, held).isLessThan(Duration.ofSeconds(40));
            assertThat(status).as("no success for a partial body").doesNotContain(" 202 ").doesNotContain(" 200 ");
        }
        assertNothingStored();
    }

    /**
     * A burst of decompression bombs leaves the ingestion service's memory where it was: the size is read
     * from the header and the file refused before a decoder allocates a pixel (each would need 30 GB).
     */
    @Test
    void aBurstOfBombsLeavesMemoryFlat() throws IOException {
        ServiceProcess ingestion = suite.get(Service.INGESTION);
        byte[] pngBomb = HostileImages.pngBomb(100_000, 100_000);
        byte[] jpegBomb = HostileImages.jpegWithForgedSize(HostileImages.jpeg(320, 240), 65_000, 65_000);
        for (int i = 0; i < 5; i++) {
            upload(pngBomb, "image/png", "warm.png");
        }
        long before = rssBytes(ingestion.pid());
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = i % 2 == 0 ? upload(pngBomb, "image/png", "bomb.png")
                    : upload(jpegBomb, "image/jpeg", "bomb.jpg");
            assertRefused(response, "bomb " + i, 422, "DIMENSIONS_TOO_LARGE");
        }
        long after = rssBytes(ingestion.pid());
        assertThat(after - before).as("RSS growth over 40 bombs: %d → %d bytes", before, after)
                .isLessThan(64L * 1024 * 1024);
        assertThat(ingestion.isAlive()).isTrue();
        assertNothingStored();
    }

    private static long rssBytes(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElseThrow();
    }

    private static HttpResponse<String> upload(byte[] bytes, String type, String name) {
        return Http.post(gateway.resolve("api/v1/images?assetId=" + ASSET), alice,
                new Multipart().file(bytes, type, name), Map.of());
    }

    private static void assertRefused(HttpResponse<String> response, String attack, int status, String code) {
        assertThat(response.statusCode()).as("%s: %s", attack, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(attack)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        if (code != null) {
            assertThat(json.readTree(response.body()).path("code").asString()).as(attack).isEqualTo(code);
        }
        assertThat(response.body()).as(attack).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** No refused upload left an image row (by asset) or an object (by count) behind. */
    private static void assertNothingStored() {
        JsonNode listed = json.readTree(Http.get(gateway.resolve("api/v1/images?assetId=" + ASSET + "&limit=100"), alice)
                .body());
        assertThat(listed.path("items").valueStream().map(item -> item.path("originalName").asString()))
                .as("only the accepted EXIF upload may be listed").allMatch("exif.jpg"::equals);
        assertThat(ObjectStore.count("originals/acme/")).as("objects stored").isLessThanOrEqualTo(storedBefore + 1);
    }

    private static String printable(String name) {
        String shown = name.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n");
        return shown.length() > 40 ? shown.substring(0, 40) + "…(" + shown.length() + ")" : shown;
    }

    private record Refusal(byte[] bytes, String type, int status, String code) {
    }
}
