package dev.engram.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link RedisCluster} forms a real cluster, survives repeated master kills, and leaves nothing behind. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    private static final int KILLS = 20;

    private static RedisCluster cluster;

    @BeforeAll
    static void start() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void closeLeavesNoProcessAndNoFiles() {
        if (cluster == null) {
            return; // start() failed and closed what it had started
        }
        // the only processes this test starts are the six redis-servers (and short-lived redis-clis)
        List<ProcessHandle> servers = ProcessHandle.current().children().toList();
        assertThat(servers).hasSize(6);
        cluster.close();
        assertThat(servers).noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.current().descendants()).isEmpty();
        assertThat(cluster.nodes()).noneMatch(node -> Files.exists(node.dir()));
    }

    @Test
    @Order(1)
    void formsThreeMastersWithAReplicaEachCoveringEverySlot() {
        List<RedisServer> masters = cluster.masters();
        assertThat(masters).hasSize(3);
        for (RedisServer node : cluster.nodes()) {
            ClusterView view = cluster.viewOf(node);
            assertThat(view.entries()).hasSize(6);
            assertThat(view.servingMasters())
                    .extracting(ClusterView.Entry::port)
                    .containsExactlyInAnyOrderElementsOf(
                            masters.stream().map(RedisServer::port).toList());
            assertThat(view.coveredSlots()).isEqualTo(ClusterView.SLOTS);
            for (RedisServer master : masters) {
                assertThat(view.replicasOf(cluster.idOf(master))).hasSize(1);
            }
            assertThat(node.call("CLUSTER", "INFO"))
                    .contains("cluster_state:ok", "cluster_slots_ok:16384", "cluster_known_nodes:6", "cluster_size:3");
        }
        for (RedisServer master : masters) {
            assertThat(master.call("INFO", "replication")).contains("role:master", "connected_slaves:1");
        }
    }

    @Test
    @Order(2)
    void keyWrittenThroughOneNodeIsReadThroughAnother() {
        cluster.flushAll();
        RedisServer writer = cluster.nodes().get(0);
        RedisServer reader = cluster.nodes().get(5);
        // a key served by neither node, so both the write and the read are redirected
        String key = IntStream.range(0, 100)
                .mapToObj(i -> "engram:cross-node:" + i)
                .filter(k -> cluster.masterOf(k) != writer && cluster.masterOf(k) != reader)
                .findFirst()
                .orElseThrow();

        assertThat(cluster.cli("-c", "-p", port(writer), "SET", key, "across")).isEqualTo("OK\n");
        assertThat(cluster.cli("-c", "-p", port(reader), "GET", key)).isEqualTo("across\n");
        assertThat(cluster.keyCount()).isEqualTo(1);

        cluster.flushAll();
        assertThat(cluster.keyCount()).isZero();
    }

    @Test
    @Order(3)
    void aKilledMasterIsReplacedByItsReplicaAndRejoinsAsAReplica() {
        String key = "engram:{failover}:session";
        List<Long> failoverMillis = new ArrayList<>();
        List<Long> rejoinMillis = new ArrayList<>();
        for (int round = 1; round <= KILLS; round++) {
            RedisServer master = cluster.masterOf(key);
            String value = "value-" + round;
            // WAIT on the write's own connection: the replica has it before the kill
            String written = cluster.cliWithInput("SET " + key + " " + value + "\nWAIT 1 1000\n", "-p", port(master));
            assertThat(written.lines()).as("SET then WAIT 1 1000").containsExactly("OK", "1");

            cluster.killMaster(master);
            long killedAt = System.nanoTime();
            RedisServer promoted = cluster.awaitFailover(master);
            failoverMillis.add((System.nanoTime() - killedAt) / 1_000_000);

            assertThat(promoted).isNotSameAs(master);
            assertThat(cluster.masterOf(key)).isSameAs(promoted);
            assertThat(cluster.masters()).hasSize(3).doesNotContain(master).contains(promoted);
            assertThat(promoted.call("GET", key)).as("round %d", round).isEqualTo(value);

            long restartedAt = System.nanoTime();
            cluster.restart(master);
            rejoinMillis.add((System.nanoTime() - restartedAt) / 1_000_000);
            ClusterView.Entry rejoined =
                    cluster.viewOf(master).byId(cluster.idOf(master)).orElseThrow();
            assertThat(rejoined.master())
                    .as("round %d: the restarted node is a replica", round)
                    .isFalse();
            assertThat(rejoined.masterId()).isEqualTo(cluster.idOf(promoted));
            assertThat(cluster.cliWithInput("READONLY\nGET " + key + "\n", "-p", port(master))
                            .lines())
                    .as("round %d: the rejoined replica holds the value", round)
                    .containsExactly("OK", value);
        }
        System.out.println(
                "Redis Cluster failover times (ms, SIGKILL to promoted and cluster_state:ok everywhere, node timeout "
                        + RedisCluster.NODE_TIMEOUT_MS + " ms): " + failoverMillis);
        System.out.println(
                "Redis Cluster rejoin times (ms, restart to replica in sync and cluster healthy): " + rejoinMillis);
    }

    private static String port(RedisServer node) {
        return Integer.toString(node.port());
    }
}
