package dev.engram.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tenant of a CloudEvent that came through a broker: extension attributes {@code engramtenant} and
 * {@code engramsignature} = hex HMAC-SHA256(secret, tenant + "\n" + event id). Binding the event id
 * keeps a signature from being moved to another event (a replay of the same id is the broker's
 * at-least-once delivery and is accepted).
 */
public final class EventSignatures {
    public static final String TENANT = "engramtenant";
    public static final String SIGNATURE = "engramsignature";

    private EventSignatures() {}

    public static String sign(String secret, String tenant, String eventId) {
        return HexFormat.of().formatHex(mac(secret, tenant, eventId));
    }

    public static boolean verify(String secret, String tenant, String eventId, String signature) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, tenant, eventId), given);
    }

    private static byte[] mac(String secret, String tenant, String eventId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal((tenant + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JVM has HmacSHA256", e);
        }
    }
}
