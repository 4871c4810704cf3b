// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified, so that a client reusing its token (as clients do for its whole lifetime) costs a
 * lookup instead of a signature check. A hit gives the same answer a fresh verification would: the key is
 * the exact token string, expiry is checked again on every hit with the verifier's skew, and the whole cache
 * is dropped as soon as the issuer's key set changes (a key withdrawn by the issuer stops working at once).
 * Bounded: when full it is emptied, never grown.
 */
public final class VerifiedTokens {

    private final int capacity;
    private final Duration skew;
    private final ConcurrentHashMap<String, Caller> verified = new ConcurrentHashMap<>();
    private volatile JWKSet keysOfEntries;

    public VerifiedTokens(int capacity, Duration skew) {
        this.capacity = capacity;
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    public Optional<Caller> get(String token, JWKSet currentKeys, Instant now) {
        if (currentKeys != keysOfEntries) {
            return Optional.empty();
        }
        Caller caller = verified.get(token);
        if (caller == null) {
            return Optional.empty();
        }
        if (caller.expiresAt().plus(skew).isBefore(now)) {
            verified.remove(token, caller);
            return Optional.empty();
        }
        return Optional.of(caller);
    }

    public void put(String token, Caller caller, JWKSet keys) {
        if (keys != keysOfEntries) {
            synchronized (this) {
                if (keys != keysOfEntries) {
                    verified.clear();
                    keysOfEntries = keys;
                }
            }
        }
        if (verified.size() >= capacity) {
            verified.clear();
        }
        verified.put(token, caller);
    }
}
