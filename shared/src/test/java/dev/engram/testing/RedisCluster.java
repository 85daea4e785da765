package dev.engram.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Redis Cluster for tests: six cluster-enabled {@link RedisServer}s on loopback, three
 * masters with one replica each, created with {@code redis-cli --cluster create}. A test can kill a
 * master (SIGKILL), wait for its replica to be promoted, and start the killed node again as a replica.
 *
 * <p>Every node keeps its {@code nodes.conf} (its identity and last known topology) and its
 * append-only file in its own directory, so a restarted node rejoins as the same node. Nodes'
 * views of the cluster are read with {@code CLUSTER NODES}; {@code redis-cli} is the binary on the
 * PATH or the system property {@value #CLI_PROPERTY}.
 */
public final class RedisCluster implements AutoCloseable {
    public static final String CLI_PROPERTY = "engram.test.redis-cli";
    /** Short, so that a killed master is marked failed and replaced within a few seconds. */
    public static final int NODE_TIMEOUT_MS = 1000;

    private static final long AWAIT_MS = 30_000;

    private static final List<String> NODE_ARGS = List.of(
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", // relative: in the node's own directory
            "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS),
            // A replica refuses promotion once its data is "too old" (node timeout x factor); 0 lets the
            // replica of a killed master always take over, whatever the test did before.
            "--cluster-replica-validity-factor", "0",
            // The default waits 5 s for more replicas before a full sync, which a rejoining node needs.
            "--repl-diskless-sync-delay", "0");

    private final String cli = System.getProperty(CLI_PROPERTY, "redis-cli");
    private final List<RedisServer> nodes = new ArrayList<>();
    private final Map<RedisServer, String> ids = new HashMap<>();
    /** The replicas a killed master had, one of which {@link #awaitFailover} waits to see promoted. */
    private final Map<RedisServer, List<String>> replicasAtKill = new HashMap<>();
    /** What the last failed check in {@link #await} saw, for the timeout's message. */
    private String lastSeen;

    /** Starts six nodes, forms the cluster and waits until it is {@linkplain #awaitHealthy() healthy}. */
    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            cluster.create();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private RedisCluster() {}

    private void create() {
        for (int i = 0; i < 6; i++) {
            RedisServer node = new RedisServer(NODE_ARGS);
            nodes.add(node);
            node.start();
            ids.put(node, node.call("CLUSTER", "MYID"));
        }
        List<String> command = new ArrayList<>(List.of("--cluster", "create"));
        nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        cli(command.toArray(String[]::new));
        awaitHealthy();
    }

    /** All six nodes, masters and replicas, running or not. */
    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The value for {@code quarkus.redis.hosts}: every node's {@code redis://127.0.0.1:port}. */
    public String hosts() {
        return nodes.stream().map(RedisServer::uri).collect(Collectors.joining(","));
    }

    /** The running nodes that say they are masters and serve slots (after a failover: the promoted ones). */
    public List<RedisServer> masters() {
        return nodes.stream()
                .filter(RedisServer::running)
                .filter(node -> {
                    ClusterView.Entry self = viewOf(node).byId(ids.get(node)).orElseThrow();
                    return self.master() && !self.slots().isEmpty();
                })
                .toList();
    }

    /** The master that serves the key's slot now, in the view of the first running node. */
    public RedisServer masterOf(String key) {
        RedisServer asked = anyRunning();
        int slot = Integer.parseInt(asked.call("CLUSTER", "KEYSLOT", key));
        ClusterView view = viewOf(asked);
        ClusterView.Entry owner = view.ownerOf(slot)
                .orElseThrow(() -> new IllegalStateException("No master serves slot " + slot + " of '" + key
                        + "' in the view of port " + asked.port() + ":\n" + view.text()));
        RedisServer server = byId(owner.id());
        if (owner.troubled() || !server.running()) {
            throw new IllegalStateException("Slot " + slot + " of '" + key + "' is on port " + owner.port()
                    + ", which is down (" + owner.flags() + "): await the failover first");
        }
        return server;
    }

    /** SIGKILLs a master; {@link #awaitFailover} then waits for one of its replicas to take over. */
    public void killMaster(RedisServer master) {
        ClusterView view = viewOf(master);
        ClusterView.Entry self = view.byId(ids.get(master)).orElseThrow();
        if (!self.master() || self.slots().isEmpty()) {
            throw new IllegalArgumentException(
                    "Port " + master.port() + " is not a master serving slots:\n" + view.text());
        }
        replicasAtKill.put(
                master,
                view.replicasOf(self.id()).stream().map(ClusterView.Entry::id).toList());
        master.kill();
    }

    /**
     * Waits until a replica of the killed master is promoted: it says it is a master serving slots,
     * every running node's view has it so and has the killed one marked {@code fail}, and every
     * running node reports {@code cluster_state:ok}.
     *
     * @return the promoted replica, the new master of the killed one's slots
     */
    public RedisServer awaitFailover(RedisServer killed) {
        List<String> candidates = replicasAtKill.get(killed);
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException(
                    "Port " + killed.port() + " was not killed by killMaster or had no replica");
        }
        String killedId = ids.get(killed);
        return await("a replica of port " + killed.port() + " to be promoted", () -> {
            Optional<RedisServer> promoted = candidates.stream()
                    .map(this::byId)
                    .filter(RedisServer::running)
                    .filter(node ->
                            viewOf(node).byId(ids.get(node)).orElseThrow().master())
                    .findFirst();
            if (promoted.isEmpty()) {
                return failure("no replica of port " + killed.port() + " says it is a master yet");
            }
            String promotedId = ids.get(promoted.get());
            for (RedisServer node : running()) {
                ClusterView view = viewOf(node);
                boolean knowsPromotion = view.servingMasters().stream().anyMatch(e -> e.id().equals(promotedId));
                boolean knowsFailure =
                        view.byId(killedId).map(e -> e.flags().contains("fail")).orElse(false);
                if (!knowsPromotion || !knowsFailure || !clusterOk(node)) {
                    return failure("port " + node.port() + " sees " + clusterState(node) + ":\n" + view.text());
                }
            }
            return promoted;
        });
    }

    /**
     * Starts a killed node again (same port, directory and {@code nodes.conf}) and waits until the
     * cluster is {@linkplain #awaitHealthy() healthy} with it: it rejoined as a replica and is in sync.
     */
    public void restart(RedisServer node) {
        node.start();
        replicasAtKill.remove(node);
        awaitHealthy();
    }

    /**
     * Waits until all six nodes run and agree: each reports {@code cluster_state:ok}, and in each one's
     * view there are six connected nodes none marked failing, three masters serving all 16384 slots
     * with exactly one replica each; each node's own role matches, and each replica reports
     * {@code master_link_status:up} with no sync in progress.
     */
    public void awaitHealthy() {
        await("the cluster to be healthy (3 masters with a replica each, all in sync)", () -> {
            for (RedisServer node : nodes) {
                if (!node.running()) {
                    return failure("port " + node.port() + " is not running");
                }
                Optional<String> problem = problemSeenBy(node);
                if (problem.isPresent()) {
                    return failure("port " + node.port() + " " + problem.get());
                }
            }
            return Optional.of(Boolean.TRUE);
        });
    }

    private Optional<String> problemSeenBy(RedisServer node) {
        if (!clusterOk(node)) {
            return Optional.of("reports " + clusterState(node));
        }
        ClusterView view = viewOf(node);
        List<ClusterView.Entry> masters = view.servingMasters();
        boolean wellFormed = view.entries().size() == 6
                && view.entries().stream().noneMatch(e -> e.troubled() || !e.connected())
                && masters.size() == 3
                && view.coveredSlots() == ClusterView.SLOTS
                && masters.stream().allMatch(m -> view.replicasOf(m.id()).size() == 1);
        if (!wellFormed) {
            return Optional.of("sees\n" + view.text());
        }
        boolean master = view.byId(ids.get(node)).orElseThrow().master();
        String replication = node.call("INFO", "replication");
        if (!replication.contains(master ? "role:master" : "role:slave")) {
            return Optional.of("is " + (master ? "a master" : "a replica") + " in its view but says\n" + replication);
        }
        if (!master
                && !(replication.contains("master_link_status:up")
                        && replication.contains("master_sync_in_progress:0"))) {
            return Optional.of("is a replica not in sync:\n" + replication);
        }
        return Optional.empty();
    }

    /** The number of keys in the cluster: DBSIZE summed over the masters. */
    public long keyCount() {
        return masters().stream()
                .mapToLong(master -> Long.parseLong(master.call("DBSIZE")))
                .sum();
    }

    /** FLUSHALL on every master (replicas follow), between tests that share the cluster. */
    public void flushAll() {
        masters().forEach(RedisServer::flushAll);
    }

    /** The node's own id ({@code CLUSTER MYID}), as it appears in {@code CLUSTER NODES}. */
    public String idOf(RedisServer node) {
        return ids.get(node);
    }

    /** The node's current view of the cluster. */
    public ClusterView viewOf(RedisServer node) {
        return ClusterView.parse(node.call("CLUSTER", "NODES"));
    }

    /**
     * Runs {@code redis-cli} with these arguments (e.g. {@code -c -p 7000 GET k}) and returns its
     * output; fails if it exits with an error.
     */
    public String cli(String... args) {
        return cliWithInput("", args);
    }

    /**
     * Runs {@code redis-cli} with these arguments and {@code input} as its standard input: one command
     * a line, all on the same connection (e.g. {@code SET k v} then {@code WAIT 1 1000}).
     */
    public String cliWithInput(String input, String... args) {
        List<String> command = Stream.concat(Stream.of(cli), Stream.of(args)).toList();
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot run " + cli + " (install redis-tools or set -D" + CLI_PROPERTY + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while running " + cli, e);
        }
    }

    /** Stops all six nodes and deletes their directories. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (RedisServer node : nodes) {
            try {
                node.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<RedisServer> running() {
        return nodes.stream().filter(RedisServer::running).toList();
    }

    private RedisServer anyRunning() {
        return nodes.stream()
                .filter(RedisServer::running)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No node of the cluster is running"));
    }

    private RedisServer byId(String id) {
        return nodes.stream()
                .filter(node -> id.equals(ids.get(node)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Node " + id + " is not one of this cluster's"));
    }

    private static boolean clusterOk(RedisServer node) {
        return node.call("CLUSTER", "INFO").contains("cluster_state:ok");
    }

    private static String clusterState(RedisServer node) {
        return node.call("CLUSTER", "INFO")
                .lines()
                .filter(l -> l.startsWith("cluster_state:"))
                .findFirst()
                .orElse("no cluster_state");
    }

    private <T> Optional<T> failure(String seen) {
        lastSeen = seen;
        return Optional.empty();
    }

    /** Polls until the check gives a value; a node that does not answer counts as not ready yet. */
    private <T> T await(String what, Supplier<Optional<T>> check) {
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        lastSeen = "nothing yet";
        while (System.currentTimeMillis() < deadline) {
            try {
                Optional<T> value = check.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                lastSeen = e.getMessage();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException(
                "Timed out after " + AWAIT_MS + " ms waiting for " + what + "; last seen: " + lastSeen);
    }
}
