package dev.tu.vision.models;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The models this adapter has, read from {@code models.json} and verified file by file. A missing or
 * altered model stops the service at start-up rather than producing results nobody can trace.
 */
@Component
@EnableConfigurationProperties(ModelsProperties.class)
public class ModelCatalog implements AutoCloseable {

    private final Map<String, Model> models = new LinkedHashMap<>();
    private final Map<String, OrtSession> sessions = new ConcurrentHashMap<>();
    private final ModelsProperties properties;
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

    public ModelCatalog(ModelsProperties properties) {
        this.properties = properties;
        Path catalogue = properties.dir().resolve("models.json");
        if (!Files.isRegularFile(catalogue)) {
            throw new IllegalStateException("No " + catalogue + ": build the adapter (ai-vision-adapter/models/build.sh)"
                    + " or set TU_MODELS_DIR to the folder holding the models");
        }
        try {
            JsonNode root = JsonMapper.builder().build().readTree(catalogue.toFile());
            for (JsonNode entry : root.get("models")) {
                Path file = properties.dir().resolve(entry.get("file").asString());
                String expected = entry.get("sha256").asString();
                String actual = sha256(file);
                if (!expected.equals(actual)) {
                    throw new IllegalStateException(file + " has checksum " + actual + ", the catalogue says " + expected);
                }
                List<String> labels = new ArrayList<>();
                if (entry.has("labels")) {
                    entry.get("labels").forEach(label -> labels.add(label.asString()));
                }
                models.put(entry.get("id").asString(), new Model(entry.get("id").asString(),
                        entry.get("name").asString(), entry.get("version").asString(), file, expected, List.copyOf(labels)));
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalStateException("Unreadable " + catalogue, e);
        }
    }

    /** The model with catalogue id {@code id}. */
    public Model model(String id) {
        Model model = models.get(id);
        if (model == null) {
            throw new IllegalStateException("No model " + id + " in " + properties.dir());
        }
        return model;
    }

    /** A shared session over the model (sessions are thread-safe for {@code run}). */
    public OrtSession session(String id) {
        return sessions.computeIfAbsent(id, key -> {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(properties.intraOpThreads());
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (properties.provider() == ModelsProperties.Provider.CUDA) {
                    options.addCUDA();
                }
                return environment.createSession(model(key).path().toString(), options);
            } catch (OrtException e) {
                throw new IllegalStateException("Cannot load model " + key + " with provider " + properties.provider(), e);
            }
        });
    }

    /** The ids of the models with a session open: those the analyzers loaded at start-up. */
    public java.util.Set<String> loaded() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    /** The ONNX Runtime environment, for creating tensors. */
    public OrtEnvironment environment() {
        return environment;
    }

    private static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(session -> {
            try {
                session.close();
            } catch (OrtException e) {
                // Closing at shutdown: nothing to do about it.
            }
        });
    }
}
