//! Validation rules used by the forms and by the API alike: the same function decides in both places.

/// Checks a mainland mobile number: 11 digits starting with 1 and a second digit 3–9. Spaces and dashes are dropped.
pub fn normalize_phone(input: &str) -> Result<String, String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits).to_string();
    let ok = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    if ok {
        Ok(digits)
    } else {
        Err("手机号应为11位数字，以1开头".into())
    }
}

/// A username: 3–32 characters, ASCII letters, digits, `_`, `.` or `-`, starting with a letter.
pub fn check_username(input: &str) -> Result<(), String> {
    let len = input.chars().count();
    if !(3..=32).contains(&len) {
        return Err("用户名长度应为3到32个字符".into());
    }
    if !input.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err("用户名应以英文字母开头".into());
    }
    if !input.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
        return Err("用户名只能包含英文字母、数字、下划线、点和连字符".into());
    }
    Ok(())
}

/// A new password: at least 8 characters, with at least one letter and one digit.
pub fn check_password(input: &str) -> Result<(), String> {
    if input.chars().count() < 8 {
        return Err("密码至少8位".into());
    }
    if input.chars().count() > 128 {
        return Err("密码不能超过128位".into());
    }
    if !input.chars().any(|c| c.is_ascii_alphabetic()) || !input.chars().any(|c| c.is_ascii_digit()) {
        return Err("密码须同时包含字母和数字".into());
    }
    Ok(())
}

/// A name of a person or place: 1–60 characters after trimming, no control characters.
pub fn check_name(input: &str) -> Result<(), String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("名称不能为空".into());
    }
    if t.chars().count() > 60 {
        return Err("名称不能超过60个字".into());
    }
    if t.chars().any(|c| c.is_control()) {
        return Err("名称不能包含控制字符".into());
    }
    Ok(())
}

/// 收集内容: 1–2000 characters after trimming.
pub fn check_content(input: &str) -> Result<(), String> {
    let n = input.trim().chars().count();
    if n == 0 {
        return Err("请填写居民反映的内容".into());
    }
    if n > crate::item::MAX_CONTENT_CHARS {
        return Err(format!("内容不能超过{}个字", crate::item::MAX_CONTENT_CHARS));
    }
    Ok(())
}

/// 办理结果: 1–1000 characters after trimming.
pub fn check_result(input: &str) -> Result<(), String> {
    let n = input.trim().chars().count();
    if n == 0 {
        return Err("请填写办理结果".into());
    }
    if n > 1000 {
        return Err("办理结果不能超过1000个字".into());
    }
    Ok(())
}

/// A required free text of the journey (a reason, the measures): not blank, at most 500 characters.
pub fn check_reason(input: &str, label: &str) -> Result<(), String> {
    let n = input.trim().chars().count();
    if n == 0 {
        return Err(format!("请填写{label}"));
    }
    if n > 500 {
        return Err(format!("{label}不能超过500个字"));
    }
    Ok(())
}

/// Adapters so the same rules run inside `#[derive(Validate)]`.
#[cfg(feature = "validate")]
pub mod rules {
    use validator::ValidationError;

    fn err(code: &'static str, message: String) -> ValidationError {
        ValidationError::new(code).with_message(message.into())
    }

    pub fn phone(v: &str) -> Result<(), ValidationError> {
        super::normalize_phone(v).map(|_| ()).map_err(|m| err("phone", m))
    }
    pub fn username(v: &str) -> Result<(), ValidationError> {
        super::check_username(v).map_err(|m| err("username", m))
    }
    pub fn password(v: &str) -> Result<(), ValidationError> {
        super::check_password(v).map_err(|m| err("password", m))
    }
    pub fn result(v: &str) -> Result<(), ValidationError> {
        super::check_result(v).map_err(|m| err("result", m))
    }
    pub fn reason(v: &str) -> Result<(), ValidationError> {
        super::check_reason(v, "理由").map_err(|m| err("reason", m))
    }
    pub fn content(v: &str) -> Result<(), ValidationError> {
        super::check_content(v).map_err(|m| err("content", m))
    }
    pub fn name(v: &str) -> Result<(), ValidationError> {
        super::check_name(v).map_err(|m| err("name", m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("138 0000-1234").unwrap(), "13800001234");
        assert_eq!(normalize_phone("+8613800001234").unwrap(), "13800001234");
        assert!(normalize_phone("12800001234").is_err());
        assert!(normalize_phone("1380000123").is_err());
        assert!(normalize_phone("1380000123a").is_err());
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(check_username("grid1").is_ok());
        assert!(check_username("1grid").is_err());
        assert!(check_username("网格长").is_err());
        assert!(check_password("abcdefg1").is_ok());
        assert!(check_password("abcdefgh").is_err());
        assert!(check_password("a1").is_err());
        assert!(check_name("  ").is_err());
        assert!(check_name("和平社区").is_ok());
    }
}
