package dev.engram.batch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a URL input may be fetched from. Public addresses are fine. Link-local (cloud metadata
 * services answer at 169.254.169.254), multicast and unspecified addresses never are. The other
 * non-public ones — loopback, private networks, carrier-grade NAT, documentation, benchmarking and
 * reserved ranges, IPv6 unique-local — only inside a network the operator named as internal. IPv6
 * forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address.
 */
final class Addresses {
    /** An address block, {@code a.b.c.d/n} or {@code x:y::/n}. */
    record Block(byte[] base, int bits) {
        static Block parse(String cidr) {
            String[] parts = cidr.trim().split("/", 2);
            try {
                if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an address: " + parts[0]);
                }
                byte[] base = InetAddress.getByName(parts[0]).getAddress(); // a literal: no lookup
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : base.length * 8;
                if (bits < 0 || bits > base.length * 8) {
                    throw new IllegalArgumentException("prefix length out of range");
                }
                return new Block(base, bits);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Not a network in CIDR notation: '" + cidr + "' (" + e.getMessage() + ")", e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (base[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Block> NEVER =
            blocks("0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "::/128", "fe80::/10", "ff00::/8");
    private static final List<Block> NOT_PUBLIC = blocks(
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "240.0.0.0/4",
            "::1/128",
            "fc00::/7",
            "2001:db8::/32");

    private Addresses() {}

    static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(Block::parse).toList();
    }

    /** Null when the address may be fetched from, else why not. */
    static String refusal(InetAddress address, List<Block> internal) {
        byte[] bytes = ipv4Inside(address);
        if (NEVER.stream().anyMatch(b -> b.contains(bytes))) {
            return "a link-local, multicast or unspecified address";
        }
        if (NOT_PUBLIC.stream().anyMatch(b -> b.contains(bytes))
                && internal.stream().noneMatch(b -> b.contains(bytes))) {
            return "a loopback, private or reserved address outside engram.batch.url.internal-networks";
        }
        return null;
    }

    /** The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16), else its own bytes. */
    private static byte[] ipv4Inside(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return b;
        }
        boolean zeros80 = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]);
        boolean mapped = zeros80 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = b[0] == 0
                && b[1] == 0x64
                && b[2] == (byte) 0xff
                && b[3] == (byte) 0x9b
                && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return b;
    }
}
