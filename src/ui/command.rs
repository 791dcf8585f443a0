//! What a user asks of the window, as values. The panels draw and emit these; one place
//! (`ZonescopeApp::apply`) changes the view's state and does what follows from a change:
//! fetching figures, keeping indicator and measure to ones the figures have, forgetting a zoom.

use crate::chart::{CurrencyRate, Transform};
use crate::model::{Lang, Measure, Period, PeriodShape};
use crate::view::{Tab, ViewSpec};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Adds a zone (or group) to the comparison, or takes it out.
    ToggleEntity(i64),
    PickIndicator(String),
    PickMeasure(Measure),
    PickShape(PeriodShape),
    /// For shares: the whole they are of (`None`: not said).
    PickWhole(Option<crate::model::ShareOf>),
    /// Levels on a logarithmic axis, or not.
    SetLogScale(bool),
    SetTransform(Transform),
    /// The index transform's base period (a position on the time axis); none: the first
    /// period every line has.
    SetIndexBase(Option<f64>),
    /// The reader's dollar rate, and whether it is used.
    SetRate {
        enabled: bool,
        rate: CurrencyRate,
    },
    /// One of `chart::MONEY_SCALES`, or none for the usual one.
    SetUnitScale(Option<usize>),
    /// The chart's zoomed years; none: all of them.
    SetXRange(Option<[f64; 2]>),
    PickRankingPeriod(Period),
    /// The Table: figures, or the comparison of two periods.
    CompareTwoPeriods(bool),
    ShowAllIndicators(bool),
    /// The Table's sort: column and descending, or none.
    SortTable(Option<(usize, bool)>),
    PickComparedPeriods {
        start: Period,
        end: Period,
    },
    /// Shows a figure's source on the Sources tab, scrolled to and highlighted.
    ShowSourceOf(i64),
    OpenTab(Tab),
    SetLang(Lang),
    /// Opens a saved or remembered view.
    OpenView(Box<ViewSpec>),
}

impl Command {
    /// Whether Ctrl+Z takes this change back: changes of what is compared and how, not of
    /// where one looks (tab, language, zoom, sort) nor of a rate being typed.
    pub fn can_be_undone(&self) -> bool {
        matches!(
            self,
            Command::ToggleEntity(_)
                | Command::PickIndicator(_)
                | Command::PickMeasure(_)
                | Command::PickShape(_)
                | Command::PickWhole(_)
                | Command::SetLogScale(_)
                | Command::SetTransform(_)
                | Command::SetIndexBase(_)
                | Command::SetUnitScale(_)
                | Command::OpenView(_)
        )
    }
}
