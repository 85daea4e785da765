package dev.engram.auth;

/** Who sent a request: a tenant's key, or an operator's ({@code tenant} null, {@code admin} true). */
public record Caller(String tenant, boolean admin) {
    public static Caller tenant(String tenant) {
        return new Caller(tenant, false);
    }

    static final Caller ADMIN = new Caller(null, true);
}
