package dev.engram.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.auth.Limits;
import dev.engram.batch.BatchKeys;
import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.session.SessionKeys;
import org.junit.jupiter.api.Test;

class TenantTest {

    @Test
    void anIdIsOneToSixtyFourSafeCharacters() {
        assertThat(Tenant.of("Acme_2-x").id()).isEqualTo("Acme_2-x");
        assertThat(Tenant.of("x".repeat(64)).id()).hasSize(64);
        assertThat(Tenant.DEFAULT.id()).isEqualTo("default");
        for (String bad : new String[] {null, "", "x".repeat(65), "a:b", "a b", "a*", "a{b}", "ä"}) {
            assertThat(Tenant.valid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Tenant.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 64 characters");
        }
    }

    @Test
    void aTenantsKeysStartWithItsPrefixThenTheStoresSegment() {
        Tenant acme = Tenant.of("acme");
        assertThat(acme.keyPrefix()).isEqualTo("engram:acme:");
        assertThat(acme.keyPrefix("ltm")).isEqualTo("engram:acme:ltm:");
        assertThat(Tenant.of("acmeco").keyPrefix()).doesNotStartWith(acme.keyPrefix());
    }

    /** Stored data outlives a release: every store's keys keep the names they have in Redis today. */
    @Test
    void everyStoreKeepsItsKeyNames() {
        assertThat(SessionKeys.of("acme", "s1").meta()).isEqualTo("engram:acme:wm:s1");
        assertThat(SessionKeys.of("acme", "s1").turns()).isEqualTo("engram:acme:wm-turns:s1");
        assertThat(LtmKeys.of("acme").memory("m1")).isEqualTo("engram:acme:ltm:m:m1");
        assertThat(LtmKeys.of("acme").version()).isEqualTo("engram:acme:ltm:version");
        assertThat(BatchKeys.of("acme", "j1").meta()).isEqualTo("engram:acme:batch:j1:meta");
        assertThat(BatchKeys.of("acme", "j1").tenantUnfinished()).isEqualTo("engram:acme:batch:unfinished");
        assertThat(BatchKeys.event("acme", "e:1/2")).isEqualTo("engram:acme:batch:event:e:1/2");
        assertThat(BatchKeys.inputStream("acme", "in")).isEqualTo("engram:acme:batch:input:in");
        assertThat(Limits.bucketKey("acme")).isEqualTo("engram:acme:limit:rpm");
    }

    @Test
    void noStoreBuildsKeysForABadTenant() {
        assertThatThrownBy(() -> LtmKeys.of("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchKeys.of("a:b", "j1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.bucketKey(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
