package dev.engram.redis;

import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.impl.ZModem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Finds keys by pattern with {@code SCAN} (never {@code KEYS}, which blocks Redis), on a single Redis or
 * on every master of a Redis Cluster ({@code quarkus.redis.client-type=cluster}), where each master
 * holds only its own slots and a {@code SCAN} sent to any one node would see a third of the keys.
 *
 * <p>On a cluster the scan of each master runs as a one-line script routed by a key of a slot that
 * master serves: the cluster client sends it to that master over the connection it already has (same
 * credentials, TLS and MOVED handling), and {@code SCAN} inside a script walks that node's keyspace. The
 * masters and their slots are read with {@code CLUSTER SLOTS} at the start of each scan.
 */
@ApplicationScoped
public class KeyScanner {
    private static final int PAGE = 500;
    private static final LuaScript SCAN_NODE =
            LuaScript.of("scan-node", "return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])");

    private final RedisGateway redis;
    private final boolean cluster;

    public KeyScanner(RedisGateway redis) {
        this.redis = redis;
        this.cluster = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.client-type", String.class)
                .map("cluster"::equalsIgnoreCase)
                .orElse(false);
    }

    /** Hands every key matching {@code match} to {@code page}, a page (up to a few hundred keys) at a time. */
    public void scan(String match, Consumer<List<String>> page) {
        if (!cluster) {
            String cursor = "0";
            do {
                cursor = deliver(
                        redis.execute(Command.SCAN, cursor, "MATCH", match, "COUNT", Integer.toString(PAGE)), page);
            } while (!"0".equals(cursor));
            return;
        }
        for (String route : masterRoutes()) {
            String cursor = "0";
            do {
                cursor = deliver(
                        redis.eval(SCAN_NODE, List.of(route), List.of(cursor, match, Integer.toString(PAGE))), page);
            } while (!"0".equals(cursor));
        }
    }

    /** Passes a SCAN reply's keys on and answers its next cursor. */
    private static String deliver(Response reply, Consumer<List<String>> page) {
        List<String> keys = new ArrayList<>();
        for (Response key : reply.get(1)) {
            keys.add(key.toString());
        }
        if (!keys.isEmpty()) {
            page.accept(keys);
        }
        return reply.get(0).toString();
    }

    /** For each master, a key in one of its slots: what routes a command to that master. */
    private List<String> masterRoutes() {
        Map<String, List<int[]>> ranges = new LinkedHashMap<>();
        for (Response range : redis.execute(Command.CLUSTER, "SLOTS")) {
            Response master = range.get(2);
            ranges.computeIfAbsent(master.get(0) + ":" + master.get(1), node -> new ArrayList<>())
                    .add(new int[] {range.get(0).toInteger(), range.get(1).toInteger()});
        }
        List<String> routes = new ArrayList<>();
        for (List<int[]> served : ranges.values()) {
            routes.add(routeInto(served));
        }
        return routes;
    }

    /**
     * The first of {@code engram:scan:{0}, engram:scan:{1}, ...} whose slot is in the ranges (a few tries:
     * a master serves thousands of slots). Never read or written; under {@code engram:} so that an ACL
     * user confined to Engram's keys may name it.
     */
    private static String routeInto(List<int[]> served) {
        for (int i = 0; ; i++) {
            String key = "engram:scan:{" + i + "}";
            int slot = ZModem.generate(key);
            for (int[] range : served) {
                if (slot >= range[0] && slot <= range[1]) {
                    return key;
                }
            }
        }
    }
}
