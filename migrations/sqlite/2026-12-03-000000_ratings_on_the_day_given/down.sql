UPDATE ratings SET rated_on = (SELECT week_start FROM eval_rounds WHERE eval_rounds.id = ratings.round_id)
WHERE round_id IS NOT NULL;
