//! The rules of 《民情直通车制度》 that are not about HTTP: who may take which action of the journey at which stage,
//! the clocks and their deadlines, the weekly evaluation's rounds and the monthly report's draft. Handlers and jobs
//! call these; they read and write through `db/`.

pub mod deadlines;
pub mod journey;
pub mod report_draft;
pub mod rounds;
