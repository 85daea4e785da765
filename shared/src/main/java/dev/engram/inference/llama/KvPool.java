package dev.engram.inference.llama;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory budget all key/value caches of one model share. Caches grow a page at a time and ask
 * here first; when the budget is spent the engine refuses or defers work (503) instead of letting the
 * JVM run out of memory.
 */
public final class KvPool {
    private final long budget;
    private final long pageBytes;
    private final AtomicLong used = new AtomicLong();

    public KvPool(LlamaConfig config, long budgetBytes) {
        this.pageBytes = (long) KvCache.PAGE * config.kvDim() * Float.BYTES * 2 * config.blockCount();
        if (budgetBytes < pageBytes) {
            throw new IllegalArgumentException("the KV memory budget (" + budgetBytes
                    + " bytes) is smaller than one page of " + KvCache.PAGE + " positions (" + pageBytes + " bytes)");
        }
        this.budget = budgetBytes;
    }

    /** Bytes one page of {@link KvCache#PAGE} positions takes over all layers, keys and values. */
    public long pageBytes() {
        return pageBytes;
    }

    public long budget() {
        return budget;
    }

    public long used() {
        return used.get();
    }

    /** Pages the budget still allows. */
    public long freePages() {
        return (budget - used.get()) / pageBytes;
    }

    boolean reserve(int pages) {
        long bytes = pages * pageBytes;
        while (true) {
            long current = used.get();
            if (current + bytes > budget) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(int pages) {
        used.addAndGet(-pages * pageBytes);
    }
}
