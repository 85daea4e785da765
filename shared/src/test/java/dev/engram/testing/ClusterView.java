package dev.engram.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One node's view of a Redis Cluster: its {@code CLUSTER NODES} reply, parsed. Nodes' views differ
 * while gossip spreads a change, so code that waits for the cluster compares the views of every node.
 *
 * @param text the reply as received, for error messages
 */
public record ClusterView(List<Entry> entries, String text) {
    public static final int SLOTS = 16384;

    /**
     * One line of {@code CLUSTER NODES}.
     *
     * @param masterId the id of its master for a replica, {@code "-"} for a master
     * @param slots the slot ranges it serves, each {@code [first, last]}; importing/migrating
     *     markers ({@code [slot->-id]}) are left out
     */
    public record Entry(String id, int port, Set<String> flags, String masterId, boolean connected, List<int[]> slots) {
        public boolean master() {
            return flags.contains("master");
        }

        /** Marked failing or not yet (or no longer) a proper member: fail, fail?, handshake, noaddr. */
        public boolean troubled() {
            return flags.contains("fail")
                    || flags.contains("fail?")
                    || flags.contains("handshake")
                    || flags.contains("noaddr");
        }

        public int slotCount() {
            return slots.stream().mapToInt(range -> range[1] - range[0] + 1).sum();
        }

        public boolean serves(int slot) {
            return slots.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
        }
    }

    public static ClusterView parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            String[] fields = line.strip().split(" ");
            if (fields.length < 8) {
                throw new IllegalArgumentException("Not a CLUSTER NODES line: " + line);
            }
            String address = fields[1]; // ip:port@cport[,hostname]
            int port = Integer.parseInt(
                    address.substring(address.lastIndexOf(':', address.indexOf('@')) + 1, address.indexOf('@')));
            List<int[]> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (fields[i].startsWith("[")) {
                    continue;
                }
                String[] bounds = fields[i].split("-");
                slots.add(new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1])});
            }
            entries.add(new Entry(
                    fields[0], port, Set.of(fields[2].split(",")), fields[3], fields[7].equals("connected"), slots));
        }
        return new ClusterView(List.copyOf(entries), text);
    }

    /** The masters that serve slots and are not marked failing. */
    public List<Entry> servingMasters() {
        return entries.stream()
                .filter(e -> e.master() && !e.troubled() && !e.slots().isEmpty())
                .toList();
    }

    public List<Entry> replicasOf(String masterId) {
        return entries.stream().filter(e -> e.masterId().equals(masterId)).toList();
    }

    public Optional<Entry> byId(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The master this view has serving the slot (possibly one marked failing: it still owns the slot). */
    public Optional<Entry> ownerOf(int slot) {
        return entries.stream().filter(e -> e.master() && e.serves(slot)).findFirst();
    }

    /** How many slots the masters in this view serve together (16384 when every slot is covered). */
    public int coveredSlots() {
        return entries.stream().filter(Entry::master).mapToInt(Entry::slotCount).sum();
    }
}
