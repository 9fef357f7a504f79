package dev.tu.service.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the resource-server chain lets in without a bearer token.
 *
 * @param websocketHandshakePaths paths where a WebSocket upgrade may arrive without an
 *                                {@code Authorization} header: browsers cannot set one on a WebSocket,
 *                                so the protocol carries the token inside the socket (GraphQL's
 *                                {@code connection_init}) and the service checks it there. A header,
 *                                when sent, is still checked. Only GET upgrades match; every other
 *                                request to these paths still needs a token.
 */
@ConfigurationProperties("tu.security")
public record SecurityProperties(@DefaultValue List<String> websocketHandshakePaths) {

    /** Whether this request is a WebSocket upgrade on one of those paths (let in without a header). */
    public boolean isTokenlessHandshake(String method, String path, String upgradeHeader) {
        return "GET".equalsIgnoreCase(method) && "websocket".equalsIgnoreCase(upgradeHeader)
                && websocketHandshakePaths.contains(path);
    }
}
