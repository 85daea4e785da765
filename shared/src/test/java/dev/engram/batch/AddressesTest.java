package dev.engram.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a URL input may be fetched from, with and without internal networks named by the operator. */
class AddressesTest {

    @Test
    void publicAddressesOnly() throws Exception {
        for (String ok : List.of(
                "93.184.215.14", "8.8.8.8", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "172.32.0.1", "11.0.0.1")) {
            assertThat(Addresses.refusal(InetAddress.getByName(ok), List.of()))
                    .as(ok)
                    .isNull();
        }
        for (String no : List.of(
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.5.4",
                "192.168.1.1",
                "100.64.0.1",
                "::1",
                "fd00::1",
                "192.0.2.7",
                "198.18.0.1",
                "240.0.0.1",
                "255.255.255.255",
                "::ffff:127.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a00:1",
                "2002:c0a8:101::1",
                "2001:db8::1")) {
            assertThat(Addresses.refusal(InetAddress.getByName(no), List.of()))
                    .as(no)
                    .contains("loopback, private or reserved");
        }
        for (String never : List.of(
                "169.254.169.254",
                "fe80::1",
                "224.0.0.1",
                "239.1.2.3",
                "ff02::1",
                "0.0.0.0",
                "::",
                "::ffff:169.254.169.254",
                "64:ff9b::a9fe:a9fe")) {
            assertThat(Addresses.refusal(InetAddress.getByName(never), List.of()))
                    .as(never)
                    .contains("link-local");
        }
    }

    @Test
    void internalNetworksOpenTheirOwnAddressesButNeverLinkLocalOrMulticast() throws Exception {
        List<Addresses.Block> internal =
                Addresses.blocks("10.20.0.0/16", "127.0.0.1/32", "169.254.0.0/16", "fd12::/16");
        assertThat(Addresses.refusal(InetAddress.getByName("10.20.3.4"), internal))
                .isNull();
        assertThat(Addresses.refusal(InetAddress.getByName("127.0.0.1"), internal))
                .isNull();
        assertThat(Addresses.refusal(InetAddress.getByName("fd12::7"), internal))
                .isNull();
        assertThat(Addresses.refusal(InetAddress.getByName("10.21.0.1"), internal))
                .isNotNull();
        assertThat(Addresses.refusal(InetAddress.getByName("127.0.0.2"), internal))
                .isNotNull();
        assertThat(Addresses.refusal(InetAddress.getByName("169.254.169.254"), internal))
                .as("metadata, even if listed")
                .isNotNull();
    }

    @Test
    void networksMustBeCidrLiterals() {
        assertThatThrownBy(() -> Addresses.Block.parse("example.com/8")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Addresses.Block.parse("10.0.0.0/33")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> Addresses.Block.parse("10.0.0.0/x")).hasMessageContaining("CIDR");
        assertThat(Addresses.Block.parse("10.0.0.0/8").contains(new byte[] {10, 9, 8, 7}))
                .isTrue();
    }
}
