package dev.engram.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.auth.Limits;
import dev.engram.batch.BatchKeys;
import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.promotion.PromotionKeys;
import dev.engram.memory.session.SessionKeys;
import io.vertx.redis.client.impl.ZModem;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TenantTest {

    @Test
    void anIdIsOneToSixtyFourSafeCharacters() {
        assertThat(Tenant.of("Acme_2-x").id()).isEqualTo("Acme_2-x");
        assertThat(Tenant.of("x".repeat(64)).id()).hasSize(64);
        assertThat(Tenant.DEFAULT.id()).isEqualTo("default");
        for (String bad : new String[] {null, "", "x".repeat(65), "a:b", "a b", "a*", "a{b}", "ä"}) {
            assertThat(Tenant.valid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> Tenant.of(bad))
                    .isInstanceOf(IllegalArgumentException.class)
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

    /** The key names are the stored layout (docs/deployment.md, migration): they change only with a migration step. */
    @Test
    void everyStoreKeepsItsKeyNames() {
        assertThat(SessionKeys.of("acme", "s1").meta()).isEqualTo("engram:acme:wm:{acme/s1}:meta");
        assertThat(SessionKeys.of("acme", "s1").turns()).isEqualTo("engram:acme:wm:{acme/s1}:turns");
        assertThat(SessionKeys.of("acme", "s1").handoff()).isEqualTo("engram:acme:wm:{acme/s1}:handoff");
        assertThat(LtmKeys.of("acme").memory("m1")).isEqualTo("engram:acme:ltm:{acme}:m:m1");
        assertThat(LtmKeys.of("acme").version()).isEqualTo("engram:acme:ltm:{acme}:version");
        assertThat(BatchKeys.of("acme", "j1").meta()).isEqualTo("engram:acme:batch:{acme/j1}:meta");
        assertThat(BatchKeys.event("acme", "e:1/2")).isEqualTo("engram:acme:batch:event:e:1/2");
        assertThat(BatchKeys.inputStream("acme", "in")).isEqualTo("engram:acme:batch:input:in");
        assertThat(Limits.bucketKey("acme")).isEqualTo("engram:acme:limit:rpm");
        PromotionKeys promotion = PromotionKeys.of("acme");
        assertThat(promotion.stream()).isEqualTo("engram:acme:promo:{acme}:stream");
        assertThat(promotion.done()).isEqualTo("engram:acme:promo:{acme}:done");
        assertThat(promotion.attempts()).isEqualTo("engram:acme:promo:{acme}:attempts");
        assertThat(promotion.counts()).isEqualTo("engram:acme:promo:{acme}:counts");
        assertThat(promotion.dead()).isEqualTo("engram:acme:promo:{acme}:dead");
        assertThat(promotion.queued()).isEqualTo("engram:acme:promo:{acme}:queued");
        assertThat(PromotionKeys.TENANTS).isEqualTo("engram:promotion-tenants");
    }

    /** Redis Cluster runs a script only when all its keys are in one slot; sessions and jobs still spread. */
    @Test
    void keysOneScriptTouchesShareASlotAndGroupsSpread() {
        SessionKeys session = SessionKeys.of("acme", "a:turns");
        assertThat(ZModem.generate(session.meta()))
                .isEqualTo(ZModem.generate(session.turns()))
                .isEqualTo(ZModem.generate(session.handoff()));
        assertThat(session.meta()).isNotEqualTo(SessionKeys.of("acme", "a").turns());
        LtmKeys ltm = LtmKeys.of("acme");
        assertThat(Stream.of(
                                ltm.memory("m1"),
                                ltm.slots(),
                                ltm.version(),
                                ltm.freeSlots(),
                                ltm.segment(7),
                                ltm.segmentMeta(7),
                                ltm.user("u"),
                                ltm.session("s"))
                        .map(ZModem::generate)
                        .distinct())
                .hasSize(1);
        // an entry's commit writes the tenant's long-term memory and its promotion queue in one script
        PromotionKeys promotion = PromotionKeys.of("acme");
        assertThat(Stream.of(
                                promotion.stream(),
                                promotion.done(),
                                promotion.attempts(),
                                promotion.counts(),
                                promotion.dead(),
                                promotion.queued(),
                                ltm.version())
                        .map(ZModem::generate)
                        .distinct())
                .hasSize(1);
        BatchKeys job = BatchKeys.of("acme", "j1");
        assertThat(job.jobKeys().stream().map(ZModem::generate).distinct()).hasSize(1);

        Set<Integer> sessionSlots = IntStream.range(0, 64)
                .mapToObj(i -> ZModem.generate(SessionKeys.of("acme", "s" + i).meta()))
                .collect(Collectors.toSet());
        assertThat(sessionSlots).as("one tenant's sessions spread over slots").hasSizeGreaterThan(50);
        Set<Integer> jobSlots = IntStream.range(0, 64)
                .mapToObj(i -> ZModem.generate(BatchKeys.of("acme", "j" + i).meta()))
                .collect(Collectors.toSet());
        assertThat(jobSlots).as("one tenant's jobs spread over slots").hasSizeGreaterThan(50);
    }

    @Test
    void noStoreBuildsKeysForABadTenant() {
        assertThatThrownBy(() -> LtmKeys.of("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchKeys.of("a:b", "j1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromotionKeys.of("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.bucketKey(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
