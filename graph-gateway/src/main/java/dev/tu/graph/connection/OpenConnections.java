package dev.tu.graph.connection;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The open GraphQL WebSockets of this replica, so a connection can be closed with a close code of our
 * choosing (Spring for GraphQL closes a refused {@code connection_init} with 4401; the protocol asks 4403).
 */
class OpenConnections implements SessionCloser {

    private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);

    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

    void opened(WebSocketSession session) {
        sessions.put(session.getId(), session);
    }

    void closed(WebSocketSession session) {
        sessions.remove(session.getId());
    }

    int count() {
        return sessions.size();
    }

    @Override
    public void close(String sessionId, CloseStatus status) {
        WebSocketSession session = sessions.remove(sessionId);
        if (session == null) {
            return;
        }
        try {
            session.close(status);
        } catch (IOException | IllegalStateException e) {
            log.debug("Closing WebSocket {} with {} failed: {}", sessionId, status, e.toString());
        }
    }
}
