package dev.tu.testsupport;

/** The six services, by module name (also their jar, env file and chart name). */
public enum Service {
    INGESTION("ingestion-service"),
    VISION_ADAPTER("ai-vision-adapter"),
    BRIDGE("messaging-bridge"),
    ORCHESTRATOR("analysis-orchestrator"),
    GRAPH_GATEWAY("graph-gateway"),
    API_GATEWAY("api-gateway");

    private final String id;

    Service(String id) {
        this.id = id;
    }

    /** The module, jar, env-file and chart name. */
    public String id() {
        return id;
    }
}
