//! What leads elsewhere from a page: the same page in the other languages (the switcher
//! and hreflang alternates), and the numbered links of a paginated listing.

use tera::Value;

use super::Contexts;
use crate::plan::page_count;
use crate::urls;

impl<'a> Contexts<'a> {
    pub(super) fn alternates(
        &self,
        current: usize,
        targets: &[Option<String>],
    ) -> (Value, Option<String>) {
        let config = &self.site.config;
        let mut list = Vec::new();
        let mut x_default = None;
        for (i, (l, target)) in config.languages.iter().zip(targets).enumerate() {
            if l == &config.default_language {
                x_default = target.as_ref().map(|u| self.abs(u));
            }
            let (url, available) = match target {
                Some(u) => (self.url(u), true),
                None => (
                    format!("{}#untranslated", self.url(&urls::catalogue(l, 1))),
                    false,
                ),
            };
            list.push(map! {
                "code" => l.as_str(),
                "name" => self.i18n.get(l, "language_name"),
                "url" => url,
                "permalink" => target.as_ref().map(|u| self.abs(u)),
                "available" => available,
                "current" => i == current,
            });
        }
        (Value::from(list), x_default)
    }

    pub(super) fn pagination(
        &self,
        current: usize,
        total_items: usize,
        url_of: impl Fn(usize) -> String,
    ) -> Value {
        let pages = page_count(total_items, self.site.config.paginate);
        // Numbered links: first, last, and two either side of the current page.
        let mut numbers: Vec<Value> = Vec::new();
        // Only the numbers shown are visited, so a page costs the same on a long listing.
        let mut shown: Vec<usize> = vec![1];
        shown.extend(current.saturating_sub(2).max(2)..=(current + 2).min(pages));
        shown.push(pages);
        shown.dedup();
        let mut last_shown = 0;
        for n in shown {
            if n <= last_shown || n > pages {
                continue;
            }
            if last_shown + 1 < n {
                numbers.push(map! { "gap" => true });
            }
            numbers.push(map! { "number" => n, "url" => self.url(&url_of(n)), "current" => n == current, "gap" => false });
            last_shown = n;
        }
        let per = self.site.config.paginate;
        map! {
            "current" => current,
            "total" => pages,
            "prev" => (current > 1).then(|| self.url(&url_of(current - 1))),
            "next" => (current < pages).then(|| self.url(&url_of(current + 1))),
            "pages" => numbers,
            "first_item" => if total_items == 0 { 0 } else { (current - 1) * per + 1 },
            "last_item" => (current * per).min(total_items),
            "total_items" => total_items,
            "per_page" => per,
        }
    }
}
