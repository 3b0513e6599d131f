//! Sign-in machinery: password hashing (argon2id), access tokens (HS256 JWT), refresh tokens (random, stored
//! hashed, single use), and the request extractor that turns a bearer token into a signed-in account.

pub mod extract;
pub mod throttle;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use extract::{AuthUser, Binding, PendingAuthUser};

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so a wrong username costs the same time as a
/// wrong password and the two cannot be told apart.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not-a-real-password-0").unwrap_or_default())
}

/// A fresh opaque token: 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// How opaque tokens are stored: SHA-256, hex. They carry 256 random bits, so no salt or slow hash is needed.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// The session id: checked on every request, so ending a session ends its access tokens at once.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

/// The claims of a signed link.
#[derive(Debug, Serialize, Deserialize)]
struct LinkClaims {
    sub: String,
    exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// Why an access token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenProblem {
    Invalid,
    Expired,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        JwtKeys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn issue<C: Serialize>(&self, claims: &C) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)?)
    }

    /// A signature for a link (a photo): the link's subject and its expiry, HS256 like the access tokens.
    pub fn sign_link(&self, subject: &str, exp: i64) -> String {
        self.issue(&LinkClaims { sub: subject.to_string(), exp }).unwrap_or_default()
    }

    /// Whether `token` signs `subject` and has not expired at `now_ts`.
    pub fn verify_link(&self, token: &str, subject: &str, now_ts: i64) -> bool {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        match jsonwebtoken::decode::<LinkClaims>(token, &self.decoding, &validation) {
            Ok(data) => data.claims.sub == subject && data.claims.exp > now_ts,
            Err(_) => false,
        }
    }

    /// Checks the signature and the algorithm (HS256 only: `none` and others are refused), then the expiry
    /// against the server's clock.
    pub fn verify(&self, token: &str, now_ts: i64) -> Result<Claims, TokenProblem> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|_| TokenProblem::Invalid)?;
        if data.claims.exp <= now_ts {
            return Err(TokenProblem::Expired);
        }
        Ok(data.claims)
    }
}

/// The JWT secret: configured, or generated once and kept in the data directory.
pub fn load_or_create_secret(configured: &str, data_dir: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    if !configured.is_empty() {
        if configured.len() < 32 {
            anyhow::bail!("MINQING_JWT_SECRET must be at least 32 characters");
        }
        return Ok(configured.as_bytes().to_vec());
    }
    let path = data_dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(data_dir)?;
    let secret = format!("{}{}", random_token(), random_token());
    std::fs::write(&path, &secret)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    tracing::info!(path = %path.display(), "generated a new JWT secret");
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("abc12345").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("abc12345", &h));
        assert!(!verify_password("abc12346", &h));
        assert!(!verify_password("abc12345", "garbage"));
    }

    #[test]
    fn tokens_are_checked_for_signature_algorithm_and_expiry() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let claims = Claims { sub: "1".into(), sid: "s".into(), iat: 100, exp: 200 };
        let token = keys.issue(&claims).unwrap();
        assert!(keys.verify(&token, 150).is_ok());
        assert_eq!(keys.verify(&token, 200).unwrap_err(), TokenProblem::Expired);
        let other = JwtKeys::new(b"another-secret-another-secret-xx");
        assert_eq!(other.verify(&token, 150).unwrap_err(), TokenProblem::Invalid);
        // alg: none, unsigned
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let none = format!(
            "{}.{}.",
            b64(r#"{"alg":"none","typ":"JWT"}"#),
            b64(r#"{"sub":"1","sid":"s","iat":100,"exp":200}"#)
        );
        assert_eq!(keys.verify(&none, 150).unwrap_err(), TokenProblem::Invalid);
    }

    #[test]
    fn opaque_tokens_are_random_and_hashed() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert!(a.len() >= 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
