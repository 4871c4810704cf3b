// SPDX-License-Identifier: Apache-2.0
package org.phigate.certificate.boundary;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.phigate.certificate.control.CertificateMaterial;
import org.phigate.certificate.control.KeyVault;

/**
 * The listeners' own TLS material: the Elytron key store {@value #KEY_STORE} (the file {@code phigate.tls.keystore})
 * behind the key manager {@value #KEY_MANAGER} that both https listeners use. A new certificate is written into that
 * file, then the key store is loaded again and the key manager initialised again through the server's management
 * model (in-VM JMX): new handshakes get the new certificate, connections already open keep theirs, nothing restarts.
 */
final class ListenerTls {

    static final String KEY_STORE = "phigate-server-ks";
    static final String KEY_MANAGER = "phigate-server-km";
    static final String REFERENCE = "elytron:" + KEY_STORE;

    private final Path file;
    private final char[] password;

    private ListenerTls(Path file, char[] password) {
        this.file = file;
        this.password = password;
    }

    /** From the system properties that the server configuration sets; empty on a server configured before they existed. */
    static Optional<ListenerTls> fromSystemProperties() {
        String path = System.getProperty("phigate.tls.keystore", "");
        return path.isBlank() ? Optional.empty()
                : Optional.of(new ListenerTls(Path.of(path), System.getProperty("phigate.tls.keystore.password", "").toCharArray()));
    }

    /** The certificate and key the listeners present now. */
    CertificateMaterial current() throws IOException, GeneralSecurityException {
        KeyStore store = KeyVault.load(file, password);
        String alias = keyAlias(store);
        KeyVault.Entry entry = KeyVault.entry(store, alias, password);
        return new CertificateMaterial(entry.chain(), Optional.of(entry.key()));
    }

    /**
     * Puts {@code entry} in place of the listeners' key, then has Elytron read it again. If Elytron refuses, the previous
     * file is put back and read again, so the listeners keep presenting the old certificate.
     */
    void install(KeyVault.Entry entry) throws IOException, GeneralSecurityException, JMException {
        byte[] previous = Files.readAllBytes(file);
        KeyStore store = KeyVault.load(file, password);
        String alias = keyAlias(store);
        store.setKeyEntry(alias, entry.key(), password, entry.chain().toArray(new java.security.cert.X509Certificate[0]));
        KeyVault.write(store, file, password);
        try {
            reload();
        } catch (JMException | RuntimeException e) {
            Files.write(file, previous);
            reload();
            throw e;
        }
    }

    private static void reload() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        server.invoke(new ObjectName("jboss.as:subsystem=elytron,key-store=" + KEY_STORE), "load", new Object[0], new String[0]);
        server.invoke(new ObjectName("jboss.as:subsystem=elytron,key-manager=" + KEY_MANAGER), "init", new Object[0], new String[0]);
    }

    private static String keyAlias(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw new GeneralSecurityException("the listeners' key store holds no key");
    }
}
