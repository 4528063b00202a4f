"""The matrix, residents' side: public pages, listings, account, messages, alerts, board, API,
feeds, language, and allauth's sign-in pages. Format and columns: see test_matrix.py."""

TABLE = """
# url name                           methods                   args                visit unver resid other susp  staff super
healthz                              GET                       -                   200   200   200   200   200   200   200
livez                                GET                       -                   200   200   200   200   200   200   200
readyz                               GET                       -                   200   200   200   200   200   200   200
home                                 GET POST                  -                   200   200   200   200   200   200   200
# an irreversible step (withdraw, block, cancelling a lottery, deleting a search) first answers
# with its confirmation page (200); the post with confirm=1 takes it
# a photo is public while its listing is; otherwise only its poster and staff see it
listing_photo                        GET HEAD                  listing_photo       200   200   200   200   200   200   200
listing_photo                        GET HEAD                  draft_photo         404   404   200   404   404   200   200
listings:browse                      GET POST                  -                   200   200   200   200   200   200   200
# a visitor may fill in the form before signing up (it is kept in their session)
listings:create                      GET POST                  -                   200   403   200   200   403   200   200
# the upload area: an empty post is told to choose a photo; an upload is its uploader's alone
listings:upload                      POST                      -                   400   403   400   400   403   400   400
listings:upload_thumbnail            GET HEAD                  upload              404   404   200   404   404   404   404
# one's own listings, profile, data and reports stay readable while unverified or suspended
listings:mine                        GET POST                  -                   login 200   200   200   200   200   200
listings:detail                      GET POST                  listing             200   200   200   200   200   200   200
# a draft exists only for its poster and staff: 404 for everyone else, on every page naming it
listings:detail                      GET POST                  draft               404   404   200   404   404   200   200
# someone else's public listing: it exists, it is just not theirs (403)
listings:edit                        GET POST                  listing             login 403   200   403   403   403   403
listings:edit                        GET POST                  draft               login 403   200   404   403   403   403
listings:not_interested              POST                      listing             login 403   302   302   403   302   302
listings:not_interested              POST                      draft               login 403   302   404   403   302   302
listings:report                      GET POST                  listing             login 200   200   200   200   200   200
listings:report                      GET POST                  draft               login 404   200   404   404   200   200
listings:act                         POST                      listing,=withdraw   login 403   200   403   403   403   403
listings:act                         POST                      draft,=withdraw     login 403   200   404   403   403   403
my_reports                           GET POST                  -                   login 200   200   200   200   200   200
accounts:profile                     GET POST                  -                   login 200   200   200   200   200   200
accounts:notifications               POST                      -                   login 302   302   302   302   302   302
accounts:export                      GET POST                  -                   login 200   200   200   200   200   200
accounts:data                        GET POST                  -                   login 200   200   200   200   200   200
accounts:export_zip                  GET POST                  -                   login 200   200   200   200   200   200
# the suspension notice: the first page after a suspended resident signs in; others read that they are not suspended
accounts:suspended                   GET POST                  -                   login 200   200   200   200   200   200
accounts:delete                      GET POST                  -                   login 200   200   200   200   200   200
# accepting the current terms: a blank POST is the accept button, then home
accounts:terms                       GET                       -                   login 200   200   200   200   200   200
accounts:terms                       POST                      -                   login 302   302   302   302   302   302
# the terms of use and the privacy policy are public
terms                                GET                       -                   200   200   200   200   200   200   200
privacy                              GET                       -                   200   200   200   200   200   200   200
# the installable app: its manifest, its service worker and the page the worker shows offline
manifest                             GET                       -                   200   200   200   200   200   200   200
service_worker                       GET                       -                   200   200   200   200   200   200   200
offline                              GET                       -                   200   200   200   200   200   200   200
messaging:inbox                      GET POST                  -                   login 200   200   200   200   200   200
# a conversation exists only for its two participants (staff read one only through a report)
messaging:conversation               GET POST                  conversation        login 404   200   200   404   404   404
messaging:history                    GET POST                  conversation        login 404   200   200   404   404   404
messaging:act                        POST                      conversation,=block login 403   200   200   403   404   404
# the poster goes to the requests page, Bob to the conversation he already has
messaging:start                      GET                       listing             login 403   302   302   403   200   200
messaging:start                      GET POST                  draft               login 403   302   404   403   200   200
messaging:start                      POST                      listing             login 403   302   200   403   200   200
messaging:requests                   GET POST                  listing             login 403   200   403   403   403   403
messaging:requests                   GET POST                  draft               login 403   200   404   403   403   403
messaging:lottery                    POST                      listing             login 403   302   403   403   403   403
messaging:lottery                    POST                      draft               login 403   302   404   403   403   403
messaging:lottery_cancel             POST                      listing             login 403   200   403   403   403   403
messaging:lottery_cancel             POST                      draft               login 403   200   404   403   403   403
messaging:report                     GET POST                  message             login 404   200   200   404   404   404
# people pages, by random public id: only for signed-in verified residents, and only for someone
# with a public listing (Alice) or a conversation with the viewer (Bob, for Alice); staff are the
# office, never a person; unconfirmed sign-ups, strangers and counted ids are nobody (404)
messaging:profile                    GET POST                  person              login 403   200   200   403   200   200
messaging:profile                    GET POST                  other_person        login 403   200   200   403   404   404
messaging:profile                    GET POST                  staff_person        login 403   404   404   403   404   404
messaging:profile                    GET POST                  unverified_person   login 403   404   404   403   404   404
messaging:profile                    GET POST                  suspended_person    login 403   404   404   403   404   404
messaging:profile                    GET POST                  stranger            login 403   404   404   403   404   404
messaging:profile                    GET POST                  =1                  login 403   404   404   403   404   404
alerts:list                          GET POST                  -                   login 403   200   200   403   200   200
alerts:save                          POST                      -                   login 403   302   302   403   302   302
# someone else's saved search: 404
alerts:results                       GET POST                  saved               login 404   302   404   404   404   404
alerts:update                        POST                      saved               login 403   302   404   403   404   404
alerts:delete                        POST                      saved               login 403   200   404   403   404   404
# the signed link in the email is the key: no login
alerts:unsubscribe                   GET POST                  unsubscribe         200   200   200   200   200   200   200
alerts:unsubscribe_digest            GET POST                  digest              200   200   200   200   200   200   200
# notification settings: any signed-in account chooses what it hears about (a suspended resident too)
notifications:settings               GET POST                  -                   login 200   200   200   200   200   200
# a device's push subscription: an empty body is told what was wrong
notifications:push_subscribe         POST                      -                   login 400   400   400   400   400   400
notifications:push_unsubscribe       POST                      -                   login 302   302   302   302   302   302
# the notification's own "off" button: the signed token is the proof, no session
notifications:push_off               POST                      =not-a-token        204   204   204   204   204   204   204
# LINE's webhook exists only where LINE is configured (not in this world); the link page needs a verified resident
lineoa:webhook                       POST                      -                   404   404   404   404   404   404   404
lineoa:link                          GET POST                  -                   login 403   404   404   403   404   404
# unlinking LINE: any signed-in account may stop it (a suspended resident too)
lineoa:unlink                        POST                      -                   login 302   302   302   302   302   302
community:board                      GET POST                  -                   200   200   200   200   200   200   200
# consultations: anyone reads a published one; a verified resident of its audience answers (a
# blank answer is shown its errors, 200); the others are told why and sent back (302); a draft is
# staff's alone (their post is refused with the same redirect); results wait for the closing
consultations:list                   GET HEAD                  -                   200   200   200   200   200   200   200
consultations:detail                 GET                       consultation        200   200   200   200   200   200   200
consultations:detail                 POST                      consultation        302   302   200   200   302   200   200
consultations:detail                 GET                       consultation_draft  404   404   404   404   404   200   200
consultations:detail                 POST                      consultation_draft  404   404   404   404   404   302   302
consultations:results                GET HEAD                  consultation        200   200   200   200   200   200   200
consultations:results                GET HEAD                  consultation_draft  404   404   404   404   404   200   200
consultations:results_csv            GET HEAD                  consultation        404   404   404   404   404   200   200
consultations:attachment             GET HEAD                  consultation,consultation_document 200   200   200   200   200   200   200
community:thread_create              GET POST                  -                   login 403   200   200   403   200   200
community:thread                     GET POST                  thread              200   200   200   200   200   200   200
# held for review: only its author and staff see it
community:thread                     GET POST                  held_thread         404   404   200   404   404   200   200
# a blank reply gets the thread again with the error (400)
community:reply                      POST                      thread              login 403   400   400   403   400   400
community:reply                      POST                      held_thread         login 403   400   404   403   400   400
community:post                       GET POST                  post                302   302   302   302   302   302   302
community:post                       GET POST                  held_post           404   404   302   404   404   302   302
# someone else's post: sent back to it (302)
community:post_edit                  GET POST                  post                login 403   200   302   403   302   302
community:post_edit                  GET POST                  held_post           login 403   200   404   403   302   302
community:post_delete                GET                       post                login 403   200   302   403   302   302
community:post_delete                GET                       held_post           login 403   200   404   403   302   302
community:post_delete                POST                      post                login 403   302   302   403   302   302
community:post_delete                POST                      held_post           login 403   302   404   403   302   302
community:helpful                    POST                      reply               login 403   302   302   403   302   302
community:helpful                    POST                      held_post           login 403   403   404   403   403   403
community:report                     GET POST                  reply               login 403   200   200   403   200   200
community:report                     GET POST                  held_post           login 403   200   404   403   200   200
community:facility_list              GET POST                  -                   200   200   200   200   200   200   200
community:facility                   GET POST                  facility            200   200   200   200   200   200   200
# the API: public, read-only, never a draft; django-ninja's own root (api:api-root) is shadowed
api_root_not_found                   GET POST                  -                   404   404   404   404   404   404   404
api:openapi-json                     GET POST                  -                   200   200   200   200   200   200   200
api:openapi-view                     GET POST                  -                   200   200   200   200   200   200   200
api:list_listings                    GET HEAD                  -                   200   200   200   200   200   200   200
api:get_listing                      GET HEAD                  listing             200   200   200   200   200   200   200
api:get_listing                      GET HEAD                  draft               404   404   404   404   404   404   404
api:list_categories                  GET HEAD                  -                   200   200   200   200   200   200   200
api:list_towns                       GET HEAD                  -                   200   200   200   200   200   200   200
api:list_consultations               GET HEAD                  -                   200   200   200   200   200   200   200
api:get_consultation                 GET HEAD                  consultation        200   200   200   200   200   200   200
api:get_consultation                 GET HEAD                  consultation_draft  404   404   404   404   404   404   404
api:api-root                         GET POST                  -                   404   404   404   404   404   404   404
api_not_found                        GET POST                  /api/v1/nothing     404   404   404   404   404   404   404
mirror:feed                          GET POST                  -                   200   200   200   200   200   200   200
mirror:consultations_feed            GET POST                  -                   200   200   200   200   200   200   200
mirror:embed                         GET                       -                   200   200   200   200   200   200   200

# allauth: sign-in, email, password, two-factor, LINE
account_login                        GET POST PUT              -                   200   302   302   302   302   302   302
account_logout                       GET                       -                   302   200   200   200   200   200   200
account_logout                       POST                      -                   302   302   302   302   302   302   302
account_inactive                     GET                       -                   200   200   200   200   200   200   200
account_signup                       GET POST PUT              -                   200   302   302   302   302   302   302
account_reauthenticate               GET POST PUT              -                   login 200   200   200   200   200   200
account_email                        GET                       -                   login 200   200   200   200   200   200
account_email                        POST PUT                  -                   login 302   302   302   302   302   302
# the code page answers only while a sign-up or a new address waits for its emailed code (tests/accounts)
account_email_verification_sent      GET POST                  -                   302   302   302   302   302   302   302
account_change_password              GET POST PUT              -                   login 200   200   200   200   200   200
account_set_password                 GET POST PUT              -                   login 302   302   302   302   302   302
account_reset_password               GET POST PUT              -                   200   200   200   200   200   200   200
account_confirm_login_code           GET POST PUT              -                   302   302   302   302   302   302   302
account_reset_password_from_key_done GET                       -                   200   200   200   200   200   200   200
account_reset_password_from_key      GET POST PUT              reset_uid,reset_key 302   302   302   302   302   302   302
account_reset_password_done          GET                       -                   200   200   200   200   200   200   200
mfa_index                            GET                       -                   login 200   200   200   200   200   200
mfa_authenticate                     GET POST                  -                   302   302   302   302   302   302   302
mfa_reauthenticate                   GET POST PUT              -                   login 302   302   302   302   200   200
mfa_activate_totp                    GET POST PUT              -                   login 302   302   302   302   302   302
mfa_deactivate_totp                  GET POST PUT              -                   login 404   404   404   404   302   302
mfa_view_recovery_codes              GET                       -                   login 404   404   404   404   404   404
mfa_generate_recovery_codes          GET POST PUT              -                   login 302   302   302   302   302   302
mfa_download_recovery_codes          GET                       -                   login 404   404   404   404   404   404
socialaccount_login_cancelled        GET                       -                   200   200   200   200   200   200   200
socialaccount_login_error            GET                       -                   401   401   401   401   401   401   401
socialaccount_signup                 GET POST PUT              -                   302   302   302   302   302   302   302
socialaccount_connections            GET POST PUT              -                   login 200   200   200   200   200   200
auth/social/login/cancelled/         GET POST PUT PATCH DELETE -                   301   301   301   301   301   301   301
auth/social/login/error/             GET POST PUT PATCH DELETE -                   301   301   301   301   301   301   301
auth/social/signup/                  GET POST PUT PATCH DELETE -                   301   301   301   301   301   301   301
auth/social/connections/             GET POST PUT PATCH DELETE -                   301   301   301   301   301   301   301
set_language                         GET POST                  -                   302   302   302   302   302   302   302
"""
