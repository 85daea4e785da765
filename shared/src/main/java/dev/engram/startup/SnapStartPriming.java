package dev.engram.startup;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Primes the function before a Lambda SnapStart snapshot, so every instance restored from it starts
 * with the model and the embedder loaded and run once. Lambda calls {@link #beforeCheckpoint} through
 * the CRaC API; on any other JVM nothing ever does, and registering costs nothing.
 */
@ApplicationScoped
public class SnapStartPriming implements Resource {
    private final Priming priming;

    public SnapStartPriming(Priming priming) {
        this.priming = priming;
    }

    @Startup
    void register() {
        // The global context holds its resources weakly: this application-scoped bean keeps itself alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        priming.prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew here: a Redis connection that did not survive the snapshot is re-made on use.
    }
}
