//! The domain's vocabulary, from the regulation 《民情直通车制度》: the places of the city, the roles of its people,
//! and the classifications of an item (channel 第六条, type 第五条, level 第四条, outcome 附件1).
//! Each enum is stored and sent as its snake_case code and shown by its Chinese label.

use serde::{Deserialize, Serialize};

/// Declares an enum with its wire code and Chinese label, plus `ALL`, `code()`, `label()` and `parse()`; with the
/// `diesel` feature, it is also a text column's value (stored as its code; an unknown code is an error).
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in the regulation's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The code stored in the database and sent over the wire.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code,)+ } }
            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label,)+ } }
            /// Reads a code or a Chinese label.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.label() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.code().to_sql(out)
            }
        }

        #[cfg(feature = "diesel")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let code = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                $crate::domain::stored(stringify!($name), Self::ALL, Self::code, &code)
            }
        }
    };
}

/// The value whose code a row holds; an unknown code is an error naming the type and the code, so that a bad row
/// fails the request (and is logged) rather than being shown as something it is not.
#[cfg(feature = "diesel")]
pub(crate) fn stored<T: Copy>(
    type_name: &str,
    all: &[T],
    code_of: fn(T) -> &'static str,
    code: &str,
) -> diesel::deserialize::Result<T> {
    all.iter()
        .copied()
        .find(|v| code_of(*v) == code)
        .ok_or_else(|| format!("unknown {type_name} code {code:?} in the database").into())
}

labelled_enum! {
    /// A kind of place in the city's organisation (第三条, 第六条).
    OrgKind {
        /// 市: the root; city leaders, offices and the supervision office sit here.
        City = "city", "市";
        /// 街道 (including 高新区).
        Street = "street", "街道";
        /// 社区.
        Community = "community", "社区";
        /// 党群服务站.
        Station = "station", "党群服务站";
        /// 网格.
        Grid = "grid", "网格";
        /// 楼.
        Building = "building", "楼";
        /// 部门单位: a government department or unit that handles dispatched items.
        Department = "department", "部门单位";
    }
}

impl OrgKind {
    /// The kind a unit of this kind must sit under; `None` for the city.
    pub fn parent_kind(self) -> Option<OrgKind> {
        match self {
            OrgKind::City => None,
            OrgKind::Street | OrgKind::Department => Some(OrgKind::City),
            OrgKind::Community => Some(OrgKind::Street),
            OrgKind::Station => Some(OrgKind::Community),
            OrgKind::Grid => Some(OrgKind::Station),
            OrgKind::Building => Some(OrgKind::Grid),
        }
    }

    /// The kinds that may be created under this one.
    pub fn child_kinds(self) -> Vec<OrgKind> {
        OrgKind::ALL.iter().copied().filter(|k| k.parent_kind() == Some(self)).collect()
    }
}

labelled_enum! {
    /// A role a person holds, always bound to one place (its scope).
    Role {
        /// 网格长, bound to a grid.
        GridLeader = "grid_leader", "网格长";
        /// 楼长, bound to a building.
        BuildingLeader = "building_leader", "楼长";
        /// 站长, bound to a service station.
        StationHead = "station_head", "站长";
        /// 社区书记, bound to a community.
        CommunitySecretary = "community_secretary", "社区书记";
        /// 街道派单员, bound to a street.
        StreetDispatcher = "street_dispatcher", "街道派单员";
        /// 街道书记/主任, bound to a street.
        StreetLeader = "street_leader", "街道书记/主任";
        /// 部门经办人, bound to a department.
        DeptHandler = "dept_handler", "部门经办人";
        /// 部门主要领导, bound to a department.
        DeptHead = "dept_head", "部门主要领导";
        /// 市领导 (市委书记, 市长), bound to the city.
        CityLeader = "city_leader", "市领导";
        /// 市委办/市政府办 analyst, bound to the city.
        CityAnalyst = "city_analyst", "市委办/市政府办";
        /// 市委督查室 supervisor, bound to the city.
        Supervisor = "supervisor", "督查室";
        /// System administrator, bound to the city or to one street.
        Admin = "admin", "系统管理员";
    }
}

impl Role {
    /// The kinds of place this role may be bound to.
    pub fn scope_kinds(self) -> &'static [OrgKind] {
        match self {
            Role::GridLeader => &[OrgKind::Grid],
            Role::BuildingLeader => &[OrgKind::Building],
            Role::StationHead => &[OrgKind::Station],
            Role::CommunitySecretary => &[OrgKind::Community],
            Role::StreetDispatcher | Role::StreetLeader => &[OrgKind::Street],
            Role::DeptHandler | Role::DeptHead => &[OrgKind::Department],
            Role::CityLeader | Role::CityAnalyst | Role::Supervisor => &[OrgKind::City],
            Role::Admin => &[OrgKind::City, OrgKind::Street],
        }
    }

    /// Whether this role may maintain the organisation below its scope (add, rename, move, deactivate places).
    /// Admins anywhere in their scope; street leaders, community secretaries and station heads below their place,
    /// since they know their own grids and buildings best.
    pub fn manages_org(self) -> bool {
        matches!(self, Role::Admin | Role::StreetLeader | Role::CommunitySecretary | Role::StationHead)
    }

    /// Whether this role registers residents' concerns (and so calls residents back and sees their phone numbers).
    pub fn captures(self) -> bool {
        crate::access::capture_role(self)
    }

    /// Whether this role may create accounts and grant roles (within its scope).
    pub fn manages_accounts(self) -> bool {
        matches!(self, Role::Admin)
    }
}

labelled_enum! {
    /// 收集方式: how an item was collected (第六条).
    Channel {
        /// 电话信箱: hotline, suggestion box, opinion wall at the station.
        PhoneMailbox = "phone_mailbox", "电话信箱";
        /// 微信走访: door-to-door visits and the grid's WeChat group.
        WechatVisit = "wechat_visit", "微信走访";
        /// 民生会议: the monthly 民情恳谈会 and quarterly 党建联席会.
        Meeting = "meeting", "民生会议";
        /// 定点接待: reception days of street and community leaders.
        Reception = "reception", "定点接待";
    }
}

labelled_enum! {
    /// 类型: the field an item concerns (第五条).
    ItemType {
        /// 公共设施类.
        PublicFacilities = "public_facilities", "公共设施";
        /// 物业住房类.
        PropertyHousing = "property_housing", "物业住房";
        /// 社会保障类.
        SocialSecurity = "social_security", "社会保障";
        /// 安全环保类.
        SafetyEnvironment = "safety_environment", "安全环保";
        /// 其他服务类.
        OtherServices = "other_services", "其他服务";
    }
}

impl ItemType {
    /// The regulation's own examples of this type, for the capture buttons.
    pub fn examples(self) -> &'static str {
        match self {
            ItemType::PublicFacilities => "供水、供电、供暖、供气、排水、市政设施",
            ItemType::PropertyHousing => "小区公共设施、物业管理、住房保障、房屋管理",
            ItemType::SocialSecurity => "养老、社会保险、医疗保障、工伤保险",
            ItemType::SafetyEnvironment => "生产生活安全、公共安全、生态环境",
            ItemType::OtherServices => "公共交通、教育医疗等其他社会服务",
        }
    }
}

labelled_enum! {
    /// 级别 (第四条).
    Level {
        /// 重大性: seriously affects residents or carries a major stability risk; reported to the city leaders at once.
        Major = "major", "重大性";
        /// 一般性: may be handled within the time limits.
        General = "general", "一般性";
    }
}

labelled_enum! {
    /// 办结情况 (附件1): derived from the path an item took, never typed.
    Outcome {
        /// 街道社区办结.
        SolvedLocally = "solved_locally", "街道社区办结";
        /// 部门单位10日内办结.
        #[serde(rename = "solved_by_dept_in_10_days")]
        SolvedByDeptIn10Days = "solved_by_dept_in_10_days", "部门单位10日内办结";
        /// 10日内未办结，经沟通已办结.
        SolvedAfterCoordination = "solved_after_coordination", "10日内未办结，经沟通已办结";
        /// 10日内未办结，经沟通仍无法办结.
        Unsolvable = "unsolvable", "10日内未办结，经沟通仍无法办结";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_binds_to_a_kind_that_exists_under_the_city() {
        for role in Role::ALL {
            for kind in role.scope_kinds() {
                let mut k = *kind;
                while let Some(p) = k.parent_kind() {
                    k = p;
                }
                assert_eq!(k, OrgKind::City, "{role:?} binds to {kind:?}, which is not under the city");
            }
        }
    }

    #[test]
    fn codes_and_labels_parse_back() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(*r));
            assert_eq!(Role::parse(r.label()), Some(*r));
        }
        assert_eq!(OrgKind::parse("党群服务站"), Some(OrgKind::Station));
        assert_eq!(ItemType::ALL.len(), 5);
        assert_eq!(Outcome::ALL.len(), 4);
        assert_eq!(Role::parse("村长"), None);
    }

    #[test]
    fn the_wire_name_is_the_code() {
        fn check<T: serde::Serialize + Copy>(all: &[T], code: impl Fn(T) -> &'static str) {
            for v in all {
                assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(code(*v)));
            }
        }
        check(Outcome::ALL, Outcome::code);
        check(Role::ALL, Role::code);
        check(OrgKind::ALL, OrgKind::code);
        check(Channel::ALL, Channel::code);
        check(ItemType::ALL, ItemType::code);
        check(Level::ALL, Level::code);
        check(crate::item::ItemStatus::ALL, crate::item::ItemStatus::code);
        check(crate::journey::ActionKind::ALL, crate::journey::ActionKind::code);
        check(crate::journey::RejectReason::ALL, crate::journey::RejectReason::code);
        check(crate::journey::HookKind::ALL, crate::journey::HookKind::code);
        check(crate::journey::EventKind::ALL, crate::journey::EventKind::code);
    }

    #[test]
    fn kinds_nest_as_the_regulation_says() {
        assert_eq!(OrgKind::Building.parent_kind(), Some(OrgKind::Grid));
        assert_eq!(OrgKind::City.child_kinds(), vec![OrgKind::Street, OrgKind::Department]);
    }
}
