package dev.sodam.server.auth;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

/**
 * argon2id password hashes (RFC 9106 second recommended option scaled down to keep a login under
 * ~100 ms on a small machine: 19 MiB, 2 iterations, 1 lane — the OWASP minimum).
 * Verifying is deliberately slow: never call it on an event loop.
 */
public final class PasswordHasher {
    private static final int ITERATIONS = 2;
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int PARALLELISM = 1;
    /**
     * What a login with an unknown email (or an invited account without a password) is verified
     * against, so that it costs what a wrong password does: an argon2id hash, made with these
     * parameters, of a random password that was thrown away. Written here rather than hashed at every
     * start, where it took 36 ms of a restart's main thread (docs/benchmarks.md, scenario e);
     * {@code PasswordHasherTest} fails when the parameters above change and this does not.
     */
    static final String DECOY = "$argon2id$v=19$m=19456,t=2,p=1$6yIfxOMGD4K77wAPV75QpQ$zgJiSpFptD9J1Z7gPBdNYf6+i5U/2izYymoEgPDHcmQ";

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);

    public String hash(String password) {
        char[] chars = password.toCharArray();
        try {
            return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars);
        } finally {
            argon2.wipeArray(chars);
        }
    }

    public boolean verify(String encodedHash, String password) {
        char[] chars = password.toCharArray();
        try {
            return argon2.verify(encodedHash, chars);
        } finally {
            argon2.wipeArray(chars);
        }
    }
}
