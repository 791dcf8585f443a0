//! Extraction: from report text to candidate figures (see corpus/SCHEMA.md).

pub mod aggregate;
pub mod candidate;
pub mod eval;
pub mod lexicon;
pub mod number;
pub mod period;
pub mod rules;
pub mod selection;
pub mod source;
pub mod table;
pub mod text;

pub use candidate::Candidate;
