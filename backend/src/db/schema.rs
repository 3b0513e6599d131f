//! The tables, in types both engines share (BigInt ids, Text, Bool, Timestamp as UTC).

diesel::table! {
    org_units (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        parent_id -> Nullable<BigInt>,
        path -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        phone -> Nullable<Text>,
        display_name -> Text,
        password_hash -> Text,
        active -> Bool,
        must_change_password -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (id) {
        id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        unit_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        login -> Text,
        ip -> Text,
        succeeded -> Bool,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<BigInt>,
        detail -> Text,
    }
}

diesel::table! {
    item_counters (community_id) {
        community_id -> BigInt,
        last_seq -> BigInt,
    }
}

diesel::table! {
    items (id) {
        id -> Text,
        seq -> BigInt,
        street_id -> BigInt,
        community_id -> BigInt,
        station_id -> Nullable<BigInt>,
        grid_id -> Nullable<BigInt>,
        building_id -> Nullable<BigInt>,
        place_id -> BigInt,
        collected_at -> Timestamp,
        collector_id -> BigInt,
        channel -> Text,
        source -> Nullable<Text>,
        item_type -> Text,
        level -> Text,
        status -> Text,
        address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        gps_accuracy_m -> Nullable<Double>,
        resident_name -> Nullable<Text>,
        resident_phone -> Nullable<Text>,
        callback_consent -> Bool,
        content -> Text,
        request_hash -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        stage_due_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        result -> Nullable<Text>,
        told_at -> Nullable<Timestamp>,
        told_by -> Nullable<BigInt>,
        told_how -> Nullable<Text>,
        sheet_no -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        sent_by -> Nullable<BigInt>,
        proposed_department_id -> Nullable<BigInt>,
        department_id -> Nullable<BigInt>,
        visit_id -> Nullable<Text>,
        meeting_id -> Nullable<Text>,
        reception_id -> Nullable<Text>,
        building_leader_id -> Nullable<BigInt>,
        solved_on_spot -> Bool,
    }
}

diesel::table! {
    sheet_counters (street_id, year) {
        street_id -> BigInt,
        year -> Integer,
        last_seq -> BigInt,
    }
}

diesel::table! {
    item_photos (id) {
        id -> Text,
        item_id -> Nullable<Text>,
        uploader_id -> BigInt,
        storage_key -> Text,
        thumb_key -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> BigInt,
        position -> Integer,
        created_at -> Timestamp,
        purpose -> Text,
    }
}

diesel::table! {
    item_events (id) {
        id -> BigInt,
        item_id -> Text,
        at -> Timestamp,
        actor_id -> BigInt,
        kind -> Text,
        changes -> Text,
    }
}

diesel::table! {
    dispatches (id) {
        id -> BigInt,
        item_id -> Text,
        department_id -> BigInt,
        co_department_ids -> Text,
        dispatched_at -> Timestamp,
        dispatched_by -> BigInt,
        accepted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<BigInt>,
        rejected_at -> Nullable<Timestamp>,
        rejected_by -> Nullable<BigInt>,
        reject_reason -> Nullable<Text>,
        reject_note -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        extension_reason -> Nullable<Text>,
        extension_requested_at -> Nullable<Timestamp>,
        extension_requested_by -> Nullable<BigInt>,
        extension_approved -> Nullable<Bool>,
        extension_decided_at -> Nullable<Timestamp>,
        extension_decided_by -> Nullable<BigInt>,
        extension_note -> Nullable<Text>,
        returned_at -> Nullable<Timestamp>,
        returned_by -> Nullable<BigInt>,
        solved -> Nullable<Bool>,
        solved_at -> Nullable<Timestamp>,
        solved_within_10_days -> Nullable<Bool>,
        onsite -> Nullable<Bool>,
        measures_clear -> Nullable<Bool>,
        measures -> Nullable<Text>,
        unsolved_reason -> Nullable<Text>,
        countermeasures -> Nullable<Text>,
        signed_at -> Nullable<Timestamp>,
        signed_by -> Nullable<BigInt>,
        onsite_due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    holidays (day) {
        day -> Date,
        workday -> Bool,
        name -> Text,
    }
}

diesel::table! {
    hooks (id) {
        id -> BigInt,
        unit_id -> BigInt,
        kind -> Text,
        url -> Text,
        secret -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        hook_id -> BigInt,
        item_id -> Nullable<Text>,
        topic -> Text,
        title -> Text,
        body -> Text,
        link -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    direct_reports (id) {
        id -> BigInt,
        item_id -> Text,
        user_id -> BigInt,
        reported_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reminders (item_id, due_at) {
        item_id -> Text,
        due_at -> Timestamp,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    resident_links (id) {
        id -> BigInt,
        item_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        issued_by -> BigInt,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    eval_rounds (id) {
        id -> BigInt,
        street_id -> BigInt,
        department_id -> BigInt,
        week_start -> Date,
        items -> BigInt,
        opened_at -> Timestamp,
    }
}

diesel::table! {
    ratings (id) {
        id -> BigInt,
        item_id -> Nullable<Text>,
        round_id -> Nullable<BigInt>,
        rater_id -> Nullable<BigInt>,
        street_id -> BigInt,
        community_id -> Nullable<BigInt>,
        department_id -> Nullable<BigInt>,
        timely -> Text,
        attitude -> Text,
        result -> Text,
        not_solved -> Bool,
        comment -> Nullable<Text>,
        rated_on -> Date,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> BigInt,
        rating_id -> BigInt,
        item_id -> Nullable<Text>,
        street_id -> BigInt,
        community_id -> Nullable<BigInt>,
        department_id -> Nullable<BigInt>,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        sent_back_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follow_up_steps (id) {
        id -> BigInt,
        follow_up_id -> BigInt,
        step -> Text,
        text -> Text,
        at -> Timestamp,
        by_id -> BigInt,
    }
}

diesel::joinable!(follow_ups -> ratings (rating_id));
diesel::joinable!(follow_up_steps -> follow_ups (follow_up_id));
diesel::joinable!(follow_up_steps -> users (by_id));
diesel::table! {
    reports (id) {
        id -> BigInt,
        street_id -> BigInt,
        year -> Integer,
        month -> Integer,
        number -> BigInt,
        status -> Text,
        section1 -> Text,
        section2 -> Text,
        section3 -> Text,
        figures -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    report_versions (id) {
        id -> BigInt,
        report_id -> BigInt,
        version -> BigInt,
        section1 -> Text,
        section2 -> Text,
        section3 -> Text,
        saved_at -> Timestamp,
        saved_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    chases (id) {
        id -> BigInt,
        item_id -> Text,
        unit_id -> BigInt,
        stage -> Text,
        note -> Text,
        at -> Timestamp,
        by_id -> BigInt,
        answer_due_at -> Nullable<Timestamp>,
        reply -> Nullable<Text>,
        promised_at -> Nullable<Timestamp>,
        replied_at -> Nullable<Timestamp>,
        replied_by -> Nullable<BigInt>,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(outbox -> hooks (hook_id));
diesel::joinable!(report_versions -> users (saved_by));
diesel::joinable!(direct_reports -> items (item_id));
diesel::joinable!(direct_reports -> users (user_id));
diesel::joinable!(dispatches -> items (item_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(items -> users (collector_id));
diesel::joinable!(item_events -> users (actor_id));
diesel::joinable!(user_roles -> org_units (unit_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));

diesel::table! {
    visit_targets (id) {
        id -> BigInt,
        grid_id -> BigInt,
        register -> Text,
        name -> Text,
        address -> Nullable<Text>,
        note -> Nullable<Text>,
        active -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> Text,
        grid_id -> BigInt,
        visitor_id -> BigInt,
        kind -> Text,
        target_id -> Nullable<BigInt>,
        visited_at -> Timestamp,
        day -> Date,
        note -> Text,
        photo_id -> Nullable<Text>,
        request_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    meetings (id) {
        id -> Text,
        station_id -> BigInt,
        kind -> Text,
        held_on -> Date,
        attendees -> Text,
        minutes -> Text,
        recorded_by -> BigInt,
        request_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reception_plans (id) {
        id -> BigInt,
        host_id -> BigInt,
        station_id -> BigInt,
        weekday -> Nullable<Integer>,
        on_date -> Nullable<Date>,
        active -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    receptions (id) {
        id -> Text,
        station_id -> BigInt,
        host_id -> BigInt,
        held_on -> Date,
        residents -> Integer,
        notes -> Text,
        recorded_by -> BigInt,
        request_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    item_states (id) {
        id -> BigInt,
        item_id -> Text,
        since -> Timestamp,
        status -> Text,
        outcome -> Nullable<Text>,
        item_type -> Text,
        level -> Text,
        stage_due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rating_revisions (id) {
        id -> BigInt,
        rating_id -> BigInt,
        replaced_at -> Timestamp,
        timely -> Text,
        attitude -> Text,
        result -> Text,
        not_solved -> Bool,
        comment -> Nullable<Text>,
    }
}

diesel::table! {
    personal_data_masks (item_id) {
        item_id -> Text,
        masked_at -> Timestamp,
        by_id -> Nullable<BigInt>,
        reason -> Text,
    }
}

diesel::table! {
    onsite_records (id) {
        id -> BigInt,
        item_id -> Text,
        dispatch_id -> BigInt,
        kind -> Text,
        unit_id -> BigInt,
        held_at -> Timestamp,
        place -> Text,
        attendees -> Text,
        findings -> Text,
        measures -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    receipts (doc_kind, doc_id, user_id) {
        doc_kind -> Text,
        doc_id -> BigInt,
        user_id -> BigInt,
        delivered_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    analysis_judgements (id) {
        id -> BigInt,
        year -> Integer,
        month -> Integer,
        risks -> Text,
        written_by -> BigInt,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    analysis_measures (id) {
        id -> BigInt,
        judgement_id -> BigInt,
        measure -> Text,
        holder_id -> BigInt,
        due_on -> Date,
        outcome -> Nullable<Text>,
        outcome_at -> Nullable<Timestamp>,
        outcome_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    leader_reports (id) {
        id -> BigInt,
        item_id -> Text,
        how -> Text,
        to_whom -> Text,
        reported_at -> Timestamp,
        note -> Nullable<Text>,
        by_id -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    day_ten_notices (dispatch_id) {
        dispatch_id -> BigInt,
        item_id -> Text,
        told_at -> Timestamp,
    }
}

diesel::joinable!(item_states -> items (item_id));
diesel::joinable!(rating_revisions -> ratings (rating_id));

diesel::table! {
    referrals (id) {
        id -> BigInt,
        unit_id -> BigInt,
        item_id -> Nullable<Text>,
        reason -> Text,
        status -> Text,
        referred_by -> BigInt,
        referred_at -> Timestamp,
    }
}

diesel::table! {
    referral_steps (id) {
        id -> BigInt,
        referral_id -> BigInt,
        status -> Text,
        note -> Text,
        at -> Timestamp,
        by_id -> BigInt,
    }
}

diesel::joinable!(referral_steps -> referrals (referral_id));

diesel::allow_tables_to_appear_in_same_query!(
    referrals,
    referral_steps,
    receipts,
    analysis_judgements,
    analysis_measures,
    leader_reports,
    onsite_records,
    day_ten_notices,
    item_states,
    personal_data_masks,
    rating_revisions,
    org_units,
    users,
    user_roles,
    sessions,
    refresh_tokens,
    login_attempts,
    audit_log,
    item_counters,
    items,
    item_photos,
    item_events,
    sheet_counters,
    dispatches,
    settings,
    holidays,
    hooks,
    outbox,
    direct_reports,
    reminders,
    resident_links,
    eval_rounds,
    ratings,
    follow_ups,
    follow_up_steps,
    reports,
    report_versions,
    chases,
    visit_targets,
    visits,
    meetings,
    reception_plans,
    receptions,
);
