package dev.sodam.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    /** "$argon2id$v=19$m=19456,t=2,p=1$salt$hash" → "$argon2id$v=19$m=19456,t=2,p=1". */
    private static String parameters(String encoded) {
        return encoded.substring(0, encoded.lastIndexOf('$', encoded.lastIndexOf('$') - 1));
    }

    @Test
    void aHashVerifiesItsOwnPasswordOnly() {
        String hash = hasher.hash("상담원-비밀번호-1");
        assertThat(hasher.verify(hash, "상담원-비밀번호-1")).isTrue();
        assertThat(hasher.verify(hash, "상담원-비밀번호-2")).isFalse();
        assertThat(hasher.hash("상담원-비밀번호-1")).as("salted").isNotEqualTo(hash);
    }

    /**
     * A login with an unknown email is verified against the decoy so that it costs what a wrong
     * password does: the decoy must carry the parameters real hashes are made with.
     */
    @Test
    void theDecoyIsMadeWithTheParametersOfRealHashes() {
        assertThat(parameters(PasswordHasher.DECOY)).isEqualTo(parameters(hasher.hash("any password")))
                .isEqualTo("$argon2id$v=19$m=19456,t=2,p=1");
        assertThat(hasher.verify(PasswordHasher.DECOY, "")).isFalse();
        assertThat(hasher.verify(PasswordHasher.DECOY, "decoy-password-for-timing")).isFalse();
    }
}
