//! Types shared by the backend and the frontend: the domain's enums with their Chinese labels, the request and
//! response bodies of the API, the validation rules used by forms and API alike, and the one error contract.
//! Only serde, chrono and validator here, so it compiles for the server and for wasm alike.

#[macro_use]
pub mod domain;
pub mod access;
pub mod channels;
pub mod dashboard;
pub mod direct_line;
pub mod dto;
pub mod error;
pub mod item;
pub mod journey;
pub mod judgement;
pub mod onsite;
pub mod privacy;
pub mod referral;
pub mod settings;
pub mod stats;
pub mod supervision;
pub mod validate;
pub mod voice;

pub use domain::*;
pub use error::{ApiError, ErrorCode, Problem};
