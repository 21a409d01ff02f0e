package io.brook.broker.security;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run, in a temp folder: its certificate as PEM (for
 * kcat's {@code ssl.ca.location}) and as a PKCS12 trust store, and PKCS12 key stores of the
 * certificates it issues (EC P-256, valid a day, with {@code 127.0.0.1} and {@code localhost} as
 * subject alternative names). No key material is ever committed.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key store holding an issued key and its chain. */
    public record Issued(Path keystore, String password, String distinguishedName) {}

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    /** The stores' password: random per run, so that a test can look for it in logs. */
    public final String storePassword;

    private TestCertificates(Path dir, String name) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.name = name;
        this.storePassword = "store-" + Long.toHexString(new SecureRandom().nextLong());
        this.caKeys = keyPair();
        X500Name subject = new X500Name("O=Brook tests,CN=" + name);
        this.caCertificate = sign(
                new JcaX509v3CertificateBuilder(
                                subject,
                                serial(),
                                Date.from(Instant.now().minus(Duration.ofMinutes(5))),
                                Date.from(Instant.now().plus(Duration.ofDays(1))),
                                subject,
                                caKeys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                caKeys);
        Files.createDirectories(dir);
    }

    /** A new CA named {@code name}, writing its files under {@code dir}. */
    public static TestCertificates create(Path dir, String name) throws GeneralSecurityException, IOException {
        return new TestCertificates(dir, name);
    }

    /** The CA certificate as PEM. */
    public Path caPem() throws IOException {
        Path pem = dir.resolve(name + "-ca.pem");
        if (!Files.exists(pem)) {
            try {
                String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(caCertificate.getEncoded());
                Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        return pem;
    }

    /** A PKCS12 trust store holding the CA certificate, with {@link #storePassword}. */
    public Path truststore() throws GeneralSecurityException, IOException {
        Path path = dir.resolve(name + "-truststore.p12");
        if (!Files.exists(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", caCertificate);
            write(store, path);
        }
        return path;
    }

    /** A certificate for {@code commonName} signed by this CA, in a PKCS12 key store. */
    public Issued issue(String commonName) throws GeneralSecurityException, IOException {
        KeyPair keys = keyPair();
        // Encoded from the most significant RDN down, so that RFC 2253 (the JDK's and Kafka's
        // form) prints it as CN=<name>,OU=test,O=Brook.
        String dn = "O=Brook,OU=test,CN=" + commonName;
        X509Certificate certificate = sign(
                new JcaX509v3CertificateBuilder(
                                caCertificate,
                                serial(),
                                Date.from(Instant.now().minus(Duration.ofMinutes(5))),
                                Date.from(Instant.now().plus(Duration.ofDays(1))),
                                new X500Name(dn),
                                keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                        })),
                caKeys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                "key", keys.getPrivate(), storePassword.toCharArray(), new Certificate[] {certificate, caCertificate});
        Path path = dir.resolve(name + "-" + commonName + ".p12");
        write(store, path);
        return new Issued(
                path, storePassword, certificate.getSubjectX500Principal().getName());
    }

    private void write(KeyStore store, Path path) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, storePassword.toCharArray());
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
