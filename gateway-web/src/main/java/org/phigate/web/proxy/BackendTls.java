// SPDX-License-Identifier: Apache-2.0
package org.phigate.web.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards backends (164.312(e)(1)): TLS 1.3/1.2 only, the certificate chain checked against the configured
 * trust store, and the certificate's name checked against the backend's host (hostname verification), which
 * the proxy client does not do by itself: every engine this context creates has endpoint identification on.
 */
final class BackendTls {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private BackendTls() {
    }

    /** From the system properties that the server configuration sets. */
    static SSLContext fromSystemProperties() throws IOException, GeneralSecurityException {
        String store = System.getProperty("phigate.backend.truststore");
        if (store == null || store.isBlank()) {
            throw new GeneralSecurityException("PHIG-0201 no backend trust store: set the system property phigate.backend.truststore");
        }
        return verifying(Path.of(store), System.getProperty("phigate.backend.truststore.password", "").toCharArray());
    }

    static SSLContext verifying(Path truststore, char[] password) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            trusted.load(in, password);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext delegate = SSLContext.getInstance("TLS");
        delegate.init(null, tmf.getTrustManagers(), null);
        return new HostnameVerifying(delegate);
    }

    private static final class HostnameVerifying extends SSLContext {
        HostnameVerifying(SSLContext delegate) {
            super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        private static SSLEngine verifying(SSLEngine engine) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setProtocols(PROTOCOLS);
            engine.setSSLParameters(params);
            return engine;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("already initialised");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException("a backend engine needs the backend's host to verify its certificate");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return verifying(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("engines only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }
    }
}
