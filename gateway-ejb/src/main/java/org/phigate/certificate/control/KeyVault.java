// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A PKCS#12 key store on disk, readable by the server's account only (file mode 600, in a directory of mode 700): where
 * private keys live instead of the database, which holds only a reference ({@code keys:ALIAS}). Every write goes to a
 * new file that replaces the old one atomically, so a crash leaves the old store or the new one, never half of one.
 */
public final class KeyVault {

    public static final String REFERENCE_PREFIX = "keys:";

    private final Path file;
    private final char[] password;

    public KeyVault(Path file, char[] password) {
        this.file = Objects.requireNonNull(file, "file");
        this.password = Objects.requireNonNull(password, "password").clone();
    }

    /** A key with its certificate chain, leaf first. */
    public record Entry(PrivateKey key, List<X509Certificate> chain) {

        public Entry {
            chain = List.copyOf(chain);
        }
    }

    /** Stores the key and chain under {@code alias}; @return the reference the registry keeps */
    public synchronized String store(String alias, PrivateKey key, List<X509Certificate> chain) throws IOException, GeneralSecurityException {
        KeyStore store = load(file, password);
        store.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
        write(store, file, password);
        return REFERENCE_PREFIX + alias;
    }

    /**
     * The key stored under {@code alias}, and only the key: a PKCS#12 store rebuilds each key's chain from the issuers'
     * names, so where two CAs share a name (a CA renewed with a new key keeps its name) the chain it would hand back can
     * carry the other CA. The chain is the inventory's to give.
     */
    public synchronized PrivateKey key(String alias) throws IOException, GeneralSecurityException {
        KeyStore store = load(file, password);
        if (!store.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no key under " + alias);
        }
        return (PrivateKey) store.getKey(alias, password);
    }

    public synchronized void remove(String alias) throws IOException, GeneralSecurityException {
        KeyStore store = load(file, password);
        if (store.containsAlias(alias)) {
            store.deleteEntry(alias);
            write(store, file, password);
        }
    }

    /** The key entry under {@code alias} of a store that holds that one key (the listeners' key store). */
    public static Entry entry(KeyStore store, String alias, char[] password) throws GeneralSecurityException {
        if (!store.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no key under " + alias);
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : store.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
        }
        return new Entry((PrivateKey) store.getKey(alias, password), chain);
    }

    /** A PKCS#12 store from its file, or an empty one where there is no file yet. */
    public static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
        } else {
            store.load(null, password);
        }
        return store;
    }

    /** Writes the store to a new file of mode 600 beside {@code file}, then moves it over {@code file} in one step. */
    public static void write(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path next = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(next)) {
                store.store(out, password);
            }
            try {
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(next);
        }
    }

    @Override
    public String toString() {
        return "KeyVault[" + file + "]";
    }
}
