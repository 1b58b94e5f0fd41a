//! TLS for PostgreSQL, as libpq's `sslmode` says: `disable`, `prefer` (the default: TLS when the server
//! offers it, unverified), `require` (TLS, unverified), `verify-ca` (the certificate chains to
//! `sslrootcert`), `verify-full` (and names the host). With rustls (feature `rustls`): no system OpenSSL.

/// The `sslmode` the URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// The TLS settings of a URL or key=value string.
#[derive(Debug, Clone)]
pub(crate) struct TlsOptions {
    pub(crate) mode: SslMode,
    #[cfg_attr(not(feature = "rustls"), allow(dead_code))]
    pub(crate) root_cert: Option<String>,
}

#[cfg(feature = "rustls")]
pub(crate) mod rustls_tls {
    use std::sync::Arc;

    use rustls::client::WebPkiServerVerifier;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{ClientConfig, DigitallySignedStruct, Error as TlsError, RootCertStore, SignatureScheme};

    use super::{SslMode, TlsOptions};
    use crate::result::ConnectionError;

    /// Accepts any certificate (`require`, `prefer`: encryption without authentication, as libpq), or,
    /// with `inner`, any certificate `inner` accepts whatever name it carries (`verify-ca`).
    #[derive(Debug)]
    struct Lenient {
        inner: Option<Arc<WebPkiServerVerifier>>,
        provider: Arc<rustls::crypto::CryptoProvider>,
    }

    impl ServerCertVerifier for Lenient {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, TlsError> {
            let Some(inner) = &self.inner else { return Ok(ServerCertVerified::assertion()) };
            match inner.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
                Err(TlsError::InvalidCertificate(rustls::CertificateError::NotValidForName))
                | Err(TlsError::InvalidCertificate(rustls::CertificateError::NotValidForNameContext { .. })) => {
                    Ok(ServerCertVerified::assertion())
                }
                other => other,
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, TlsError> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, TlsError> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider.signature_verification_algorithms.supported_schemes()
        }
    }

    /// The roots of `sslrootcert` (a PEM file of one or more certificates).
    fn roots(path: &str) -> Result<RootCertStore, ConnectionError> {
        let failed = |why: String| ConnectionError::BadConnection(format!("sslrootcert `{path}`: {why}"));
        let mut store = RootCertStore::empty();
        let certs = CertificateDer::pem_file_iter(path).map_err(|e| failed(e.to_string()))?;
        for cert in certs {
            store.add(cert.map_err(|e| failed(e.to_string()))?).map_err(|e| failed(e.to_string()))?;
        }
        if store.is_empty() {
            return Err(failed("the file holds no certificate".to_owned()));
        }
        Ok(store)
    }

    /// The rustls client configuration for `options`.
    pub(crate) fn client_config(options: &TlsOptions) -> Result<ClientConfig, ConnectionError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectionError::BadConnection(format!("TLS: {e}")))?;
        let verified = |root: &Option<String>| -> Result<Arc<WebPkiServerVerifier>, ConnectionError> {
            let path = root.as_deref().ok_or_else(|| {
                ConnectionError::InvalidConnectionUrl(
                    "sslmode=verify-ca and verify-full need sslrootcert=<the CA's PEM file>".to_owned(),
                )
            })?;
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots(path)?), provider.clone())
                .build()
                .map_err(|e| ConnectionError::BadConnection(format!("TLS: {e}")))
        };
        let config = match options.mode {
            SslMode::VerifyFull => builder.with_webpki_verifier(verified(&options.root_cert)?).with_no_client_auth(),
            SslMode::VerifyCa => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient {
                    inner: Some(verified(&options.root_cert)?),
                    provider: provider.clone(),
                }))
                .with_no_client_auth(),
            _ => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient { inner: None, provider: provider.clone() }))
                .with_no_client_auth(),
        };
        Ok(config)
    }
}
