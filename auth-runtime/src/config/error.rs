//! [`ConfigError`]: what is wrong with a configuration, naming the setting to fix.
//!
//! May use: nothing of the crate (it is a leaf every wing can report through).

use std::fmt;

use jsonwebtoken::Algorithm;

/// What is wrong with a configuration. Every variant names the setting to fix: a builder
/// method name, or the environment variable it came from.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required setting is missing.
    Missing {
        /// The setting or environment variable.
        setting: String,
    },
    /// A setting has a value that cannot be used.
    Invalid {
        /// The setting or environment variable.
        setting: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An HMAC secret is shorter than its hash output (RFC 7518 §3.2).
    WeakSecret {
        /// The setting or environment variable.
        setting: String,
        /// The algorithm the secret is for.
        algorithm: Algorithm,
        /// The least number of bytes the algorithm accepts.
        min_bytes: usize,
        /// The number of bytes given.
        actual_bytes: usize,
    },
    /// An RSA key is shorter than 2048 bits (RFC 7518 §3.3).
    WeakRsaKey {
        /// The setting or environment variable.
        setting: String,
        /// The key's modulus length.
        bits: usize,
    },
    /// jsonwebtoken could not load the key.
    Key {
        /// The setting or environment variable.
        setting: String,
        /// jsonwebtoken's error.
        source: jsonwebtoken::errors::Error,
    },
    /// A key file could not be read.
    Io {
        /// The environment variable that names the file.
        setting: String,
        /// The file's path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ConfigError {
    pub(crate) fn invalid(setting: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            setting: setting.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn missing(setting: impl Into<String>) -> Self {
        Self::Missing {
            setting: setting.into(),
        }
    }

    pub(crate) fn key(setting: &str, source: jsonwebtoken::errors::Error) -> Self {
        Self::Key {
            setting: setting.to_owned(),
            source,
        }
    }

    /// The setting (builder method or environment variable) this error is about.
    pub fn setting(&self) -> &str {
        match self {
            Self::Missing { setting }
            | Self::Invalid { setting, .. }
            | Self::WeakSecret { setting, .. }
            | Self::WeakRsaKey { setting, .. }
            | Self::Key { setting, .. }
            | Self::Io { setting, .. } => setting,
        }
    }

    pub(crate) fn rename_setting(mut self, rename: impl FnOnce(&str) -> String) -> Self {
        let slot = match &mut self {
            Self::Missing { setting }
            | Self::Invalid { setting, .. }
            | Self::WeakSecret { setting, .. }
            | Self::WeakRsaKey { setting, .. }
            | Self::Key { setting, .. }
            | Self::Io { setting, .. } => setting,
        };
        *slot = rename(slot);
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing { setting } => write!(f, "missing setting `{setting}`"),
            Self::Invalid { setting, reason } => write!(f, "invalid setting `{setting}`: {reason}"),
            Self::WeakSecret {
                setting,
                algorithm,
                min_bytes,
                actual_bytes,
            } => write!(
                f,
                "invalid setting `{setting}`: a {algorithm:?} secret needs at least {min_bytes} bytes, \
                 this one has {actual_bytes} (generate one with `openssl rand -base64 48`)"
            ),
            Self::WeakRsaKey { setting, bits } => write!(
                f,
                "invalid setting `{setting}`: RSA keys need at least 2048 bits, this one has {bits}"
            ),
            Self::Key { setting, source } => {
                write!(
                    f,
                    "invalid setting `{setting}`: cannot load the key: {source}"
                )
            }
            Self::Io {
                setting,
                path,
                source,
            } => write!(
                f,
                "invalid setting `{setting}`: cannot read `{path}`: {source}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Key { source, .. } => Some(source),
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
