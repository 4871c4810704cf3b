// SPDX-License-Identifier: Apache-2.0
package org.phigate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Caller CALLER = new Caller("s", "c", "", Set.of("clinician"), Set.of(), NOW.plusSeconds(60));
    private final VerifiedTokens cache = new VerifiedTokens(2, Duration.ofSeconds(30));
    private final JWKSet keys = new JWKSet();

    @Test
    void aVerifiedTokenIsRememberedUntilItExpiresPlusSkew() {
        cache.put("t1", CALLER, keys);

        assertThat(cache.get("t1", keys, NOW)).contains(CALLER);
        assertThat(cache.get("t1", keys, NOW.plusSeconds(89))).contains(CALLER);
        assertThat(cache.get("t1", keys, NOW.plusSeconds(91))).isEmpty();
        assertThat(cache.get("t1", keys, NOW)).as("evicted once expired").isEmpty();
    }

    @Test
    void onlyTheExactTokenHits() {
        cache.put("t1", CALLER, keys);

        assertThat(cache.get("t1 ", keys, NOW)).isEmpty();
        assertThat(cache.get("t2", keys, NOW)).isEmpty();
    }

    @Test
    void newIssuerKeysForgetEverything() {
        cache.put("t1", CALLER, keys);
        JWKSet rotated = new JWKSet();

        assertThat(cache.get("t1", rotated, NOW)).isEmpty();
        cache.put("t2", CALLER, rotated);
        assertThat(cache.get("t1", rotated, NOW)).isEmpty();
        assertThat(cache.get("t2", rotated, NOW)).contains(CALLER);
    }

    @Test
    void aFullCacheStartsOverInsteadOfGrowing() {
        cache.put("t1", CALLER, keys);
        cache.put("t2", CALLER, keys);
        cache.put("t3", CALLER, keys);

        assertThat(cache.get("t1", keys, NOW)).isEmpty();
        assertThat(cache.get("t3", keys, NOW)).contains(CALLER);
    }
}
