package dev.tu.ingestion.images;

import dev.tu.ingestion.storage.ObjectStore;
import dev.tu.service.caller.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/images}: upload, and reads scoped to the caller's tenant (another tenant's image is 404).
 * No class-level {@code @Validated}: Spring MVC checks the parameters' constraints itself and answers 400
 * problem+json, where the method-validation proxy's {@code ConstraintViolationException} was a 500.
 */
@RestController
@RequestMapping(ImageController.PATH)
class ImageController {

    static final String PATH = "/api/v1/images";
    private static final int MAX_PAGE = 100;

    private final ImageUploads uploads;
    private final ImageRepository images;
    private final ObjectStore store;

    ImageController(ImageUploads uploads, ImageRepository images, ObjectStore store) {
        this.uploads = uploads;
        this.images = images;
        this.store = store;
    }

    /** The answer to an upload: where the image is and that its analysis is on its way. */
    record UploadAccepted(UUID id, String status, boolean duplicate, ImageView image) {
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('tu-uploader')")
    ResponseEntity<UploadAccepted> upload(
            @AuthenticationPrincipal Jwt jwt,
            @RequestPart("file") MultipartFile file,
            @RequestParam(required = false) @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+") String assetId,
            @RequestHeader(name = "Idempotency-Key", required = false)
                    @Size(min = 1, max = 255) @Pattern(regexp = "[\\x21-\\x7E]+") String idempotencyKey)
            throws IOException {
        var accepted = uploads.upload(Caller.from(jwt), new UploadRequest(file.getBytes(), file.getContentType(),
                file.getOriginalFilename(), assetId, idempotencyKey));
        Image image = accepted.image();
        return ResponseEntity.accepted()
                .location(URI.create(PATH + "/" + image.id()))
                .body(new UploadAccepted(image.id(), "UPLOADED", accepted.duplicate(), ImageView.of(image)));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('tu-reader')")
    ImageView get(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        return ImageView.of(find(jwt, id));
    }

    /** A page of images. */
    record Page(List<ImageView> items, String nextCursor) {
    }

    /** Newest first; {@code ids} is the batch lookup graph-gateway uses (no cursor then). */
    @GetMapping
    @PreAuthorize("hasRole('tu-reader')")
    Page list(@AuthenticationPrincipal Jwt jwt,
            @RequestParam(required = false) @Size(max = 128) String assetId,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(MAX_PAGE) int limit,
            @RequestParam(required = false) @Size(max = MAX_PAGE) List<UUID> ids) {
        String tenant = Caller.from(jwt).tenant();
        if (ids != null) {
            return new Page(images.findAll(tenant, ids).stream().map(ImageView::of).toList(), null);
        }
        PageCursor after = cursor == null ? null : PageCursor.decode(cursor);
        List<Image> rows = images.page(tenant, assetId, after, limit + 1);
        boolean more = rows.size() > limit;
        List<Image> page = more ? rows.subList(0, limit) : rows;
        String next = more ? new PageCursor(page.getLast().uploadedAt(), page.getLast().id()).encode() : null;
        return new Page(page.stream().map(ImageView::of).toList(), next);
    }

    /** The original bytes, always as an attachment: originals are never rendered inline. */
    @GetMapping("/{id}/content")
    @PreAuthorize("hasRole('tu-reader')")
    ResponseEntity<InputStreamResource> content(@AuthenticationPrincipal Jwt jwt, @PathVariable UUID id) {
        Image image = find(jwt, id);
        InputStream bytes = store.open(image.objectKey());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(image.contentType()))
                .contentLength(image.sizeBytes())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(image.originalName(),
                                java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=300")
                .body(new InputStreamResource(bytes));
    }

    private Image find(Jwt jwt, UUID id) {
        return images.find(Caller.from(jwt).tenant(), id).orElseThrow(() -> notFound(id));
    }

    private static ErrorResponseException notFound(UUID id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No image " + id + ".");
        problem.setProperty("code", "IMAGE_NOT_FOUND");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
