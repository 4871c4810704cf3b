// SPDX-License-Identifier: Apache-2.0
package org.phigate.audit.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The audit verifier from the command line (tools/verify-audit), for an auditor who should not have to trust the
 * running gateway: it reads the audit tables over JDBC, walks every chain and checks every checkpoint against the
 * checkpoint certificate, and exits 0 (intact), 1 (names the first bad entry) or 2 (could not verify).
 * <pre>VerifyAuditTrail JDBC_URL CHECKPOINT_CERT_PEM
 * VerifyAuditTrail --archive ARCHIVE.jsonl.gz CHECKPOINT_CERT_PEM</pre>
 * The second form verifies one retention archive on its own ({@link AuditArchive#verify}).
 * The database user and password come from PHIGATE_DB_USER and PHIGATE_DB_PASSWORD, never from the command line.
 */
public final class VerifyAuditTrail {

    private VerifyAuditTrail() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 3 && args[0].equals("--archive")) {
            return archive(Path.of(args[1]), Path.of(args[2]), out, err);
        }
        if (args.length != 2) {
            err.println("usage: verify-audit JDBC_URL CHECKPOINT_CERTIFICATE.pem  (user and password: PHIGATE_DB_USER, PHIGATE_DB_PASSWORD)");
            return 2;
        }
        Properties login = new Properties();
        putIfSet(login, "user", System.getenv("PHIGATE_DB_USER"));
        putIfSet(login, "password", System.getenv("PHIGATE_DB_PASSWORD"));
        try (Connection db = DriverManager.getConnection(args[0], login)) {
            db.setAutoCommit(false);
            db.setReadOnly(true);
            out.println("verify-audit: walking the audit chains of " + args[0].replaceAll("[?;].*", "") + " ...");
            ChainWalk.Verification v = ChainWalk.verify(db, certificateKey(Path.of(args[1])));
            db.rollback();
            if (v.firstBad().isEmpty()) {
                out.println("verify-audit: intact: " + v.entries() + " entries, " + v.checkpoints() + " signed checkpoints");
                return 0;
            }
            var bad = v.firstBad().get();
            out.println("verify-audit: BROKEN at node " + bad.node() + ", entry " + bad.seq()
                    + (bad.requestId() == null ? "" : " (request " + bad.requestId() + ")") + ": " + bad.what()
                    + "; " + v.entries() + " entries before it verified");
            return 1;
        } catch (SQLException | IOException | CertificateException e) {
            err.println("verify-audit: could not verify: " + e.getMessage()
                    + " (check the JDBC URL, PHIGATE_DB_USER/PHIGATE_DB_PASSWORD and the certificate file)");
            return 2;
        }
    }

    private static int archive(Path file, Path cert, PrintStream out, PrintStream err) {
        try {
            out.println("verify-audit: reading the archive " + file + " ...");
            AuditArchive.Verification v = AuditArchive.verify(file, certificateKey(cert));
            if (v.problem().isEmpty()) {
                out.println("verify-audit: intact: node " + v.node() + ", entries " + v.fromSeq() + " to " + v.throughSeq()
                        + ", ending at a valid signed checkpoint");
                return 0;
            }
            out.println("verify-audit: BROKEN archive of node " + v.node() + ": " + v.problem().get() + "; " + v.entries() + " entries before it verified");
            return 1;
        } catch (IOException | CertificateException | RuntimeException e) {
            err.println("verify-audit: could not verify the archive: " + e.getMessage() + " (is it a PHIGate audit archive, *.jsonl.gz?)");
            return 2;
        }
    }

    private static void putIfSet(Properties login, String key, String value) {
        if (value != null && !value.isEmpty()) {
            login.setProperty(key, value);
        }
    }

    private static PublicKey certificateKey(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
        }
    }
}
