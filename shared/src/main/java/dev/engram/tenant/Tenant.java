package dev.engram.tenant;

import java.util.regex.Pattern;

/**
 * Whose data this is: a tenant id, 1 to 64 characters of {@code A-Z a-z 0-9 _ -}, and the one rule for
 * where a tenant's data lives in Redis. Every key of a tenant starts with {@link #keyPrefix()}
 * ({@code engram:<id>:}), then the segment of the store that owns it ({@code wm}, {@code ltm},
 * {@code batch}, {@code limit}...): {@code engram:<id>:<segment>:...}. An id may not contain ':', so
 * the tenant segment alone keeps tenants apart ({@code alpha}'s keys never match {@code alphabet}'s).
 *
 * <p>On Redis Cluster, the keys one script touches must live in one hash slot, so a store puts a hash tag
 * (the part of a key between the first '{' and the next '}', which alone decides the slot) after its
 * segment: {@link #keyPrefix(String, String)} tags a group of keys (a session, a batch job) with the
 * tenant and the group's id, so one tenant's groups still spread over every shard;
 * {@link #taggedPrefix(String)} tags all of a store's keys of the tenant with the tenant alone (its
 * long-term memory, which one script reads and writes across segments, lives on one shard). Ids of
 * tenants, sessions and jobs never contain braces, so a tag ends where it is meant to.
 *
 * <p>Ids come from the server (API keys, signed events, an operator's request), never from a
 * request body acting for a tenant: a bad one here is a bug, so it throws.
 */
public record Tenant(String id) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The tenant of every request while authentication is off (engram.auth.enabled=false). */
    public static final Tenant DEFAULT = new Tenant("default");

    public Tenant {
        if (!valid(id)) {
            throw new IllegalArgumentException("A tenant is 1 to 64 characters from A-Z a-z 0-9 _ -, got '" + id + "'");
        }
    }

    public static Tenant of(String id) {
        return new Tenant(id);
    }

    /** Whether {@code id} may name a tenant. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The start of every key of this tenant, in every store: {@code engram:<id>:}. */
    public String keyPrefix() {
        return "engram:" + id + ":";
    }

    /** The start of every key a store keeps for this tenant under its segment: {@code engram:<id>:<segment>:}. */
    public String keyPrefix(String segment) {
        return keyPrefix() + segment + ":";
    }

    /**
     * The start of the keys of one group of a store (a session, a batch job), all in one hash slot:
     * {@code engram:<id>:<segment>:{<id>/<group>}:}. The group may not contain braces.
     */
    public String keyPrefix(String segment, String group) {
        return keyPrefix(segment) + "{" + id + "/" + group + "}:";
    }

    /** The start of all of a store's keys of this tenant, in one hash slot: {@code engram:<id>:<segment>:{<id>}:}. */
    public String taggedPrefix(String segment) {
        return keyPrefix(segment) + "{" + id + "}:";
    }
}
