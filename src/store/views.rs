//! Saved views: named, and the last one the window showed.

use rusqlite::params;

use super::{Result, Store, StoreError};
use crate::view::ViewSpec;

impl Store {
    /// Saves `spec` under `name`, replacing a view of that name.
    pub fn save_view(&self, name: &str, spec: &ViewSpec) -> Result<()> {
        self.writable("saving a view")?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a saved view needs a name".into()));
        }
        self.conn
            .execute(
                "INSERT INTO saved_view (name, spec) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated = datetime('now')",
                params![name, spec.to_json()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Saved views, by name. A view this version cannot read is listed with why, rather than
    /// lost or opened as an empty view.
    pub fn views(&self) -> Result<Vec<(String, std::result::Result<ViewSpec, String>)>> {
        let mut stmt = self.conn.prepare("SELECT name, spec FROM saved_view ORDER BY name").map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .map(|(name, spec)| {
                let view =
                    ViewSpec::from_json(&spec).map_err(|e| format!("the saved view {name:?} cannot be read: {e}"));
                (name, view)
            })
            .collect())
    }

    pub fn rename_view(&self, from: &str, to: &str) -> Result<()> {
        self.writable("renaming a view")?;
        let to = to.trim();
        if to.is_empty() {
            return Err(StoreError::Invalid("a saved view needs a name".into()));
        }
        let changed = self
            .conn
            .execute("UPDATE saved_view SET name = ?2, updated = datetime('now') WHERE name = ?1", params![from, to])
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    StoreError::Invalid(format!("a view called {to:?} already exists"))
                }
                _ => self.err(e),
            })?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no view is called {from:?}")));
        }
        Ok(())
    }

    pub fn delete_view(&self, name: &str) -> Result<()> {
        self.writable("deleting a view")?;
        self.conn.execute("DELETE FROM saved_view WHERE name = ?1", [name]).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The view the window showed when it was last used, if any.
    pub fn last_view(&self) -> Result<Option<ViewSpec>> {
        Ok(self.meta("last_view")?.and_then(|json| ViewSpec::from_json(&json).ok()))
    }

    /// Remembers the window's view; on a database opened read-only there is nowhere to keep it,
    /// and the window simply does not remember.
    pub fn set_last_view(&self, spec: &ViewSpec) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES ('last_view', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [spec.to_json()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }
}
