package dev.tu.graph.connection;

import org.springframework.web.socket.CloseStatus;

/** Closes one WebSocket connection by its session id, with a graphql-transport-ws close code. */
@FunctionalInterface
interface SessionCloser {

    /** graphql-transport-ws: the server refuses the connection (clients may retry with new credentials). */
    int FORBIDDEN = 4403;

    void close(String sessionId, CloseStatus status);
}
