//! Zonescope: figures on China's development zones, each traced to its source.
//!
//! The library holds the domain (`model`), the bundled data (`dataset`), the SQLite store
//! (`store`) and the synthetic data generator (`synth`); none of them know about egui. The
//! window lives in `ui`.

pub mod chart;
pub mod dataset;
pub mod export;
pub mod extract;
pub mod fast_hash;
pub mod figure;
pub mod model;
pub mod names;
pub mod places;
pub mod present;
pub mod registry;
pub mod store;
pub mod synth;
pub mod tables;
pub mod ui;
pub mod view;
