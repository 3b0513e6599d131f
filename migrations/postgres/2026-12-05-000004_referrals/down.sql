DROP TABLE referral_steps;
DROP TABLE referrals;
