"""The matrix, staff console: every staff page refuses residents (403) and sends visitors to log
in; the second factor is checked by test_matrix.py for every row here. Format: see test_matrix.py."""

TABLE = """
# url name                          methods  args                           visit unver resid other susp  staff super
# the widget builder lives under /staff/ too
mirror_staff:embed_builder                GET POST -                              login 403   403   403   403   200   200
moderation:home                     GET POST -                              login 403   403   403   403   200   200
moderation:audit_log                GET POST -                              login 403   403   403   403   200   200
# the whole audit log leaves the building: superusers only
moderation:audit_log_csv            GET POST -                              login 403   403   403   403   403   200
moderation:listing_queue            GET POST -                              login 403   403   403   403   200   200
moderation:listing_approve_bulk     POST     -                              login 403   403   403   403   302   302
moderation:listing_approve          POST     listing                        login 403   403   403   403   302   302
moderation:listing_reject           GET POST listing                        login 403   403   403   403   200   200
moderation:listing_unhide           POST     listing                        login 403   403   403   403   302   302
moderation:report_queue             GET POST -                              login 403   403   403   403   200   200
moderation:report_detail            GET POST =listing,listing               login 403   403   403   403   200   200
moderation:report_detail            GET POST =message,message               login 403   403   403   403   200   200
moderation:report_detail            GET POST =post,post                     login 403   403   403   403   200   200
moderation:report_act               POST     =listing,listing,=dismiss      login 403   403   403   403   302   302
moderation:report_act               POST     =message,message,=dismiss      login 403   403   403   403   302   302
moderation:report_act               POST     =post,post,=dismiss            login 403   403   403   403   302   302
moderation:reported_conversation    GET POST message_report                 login 403   403   403   403   200   200
moderation:account                  GET POST resident                       login 403   403   403   403   200   200
moderation:account_suspend          POST     resident                       login 403   403   403   403   302   302
moderation:account_restore          POST     suspended                      login 403   403   403   403   302   302
moderation:account_warn             POST     resident                       login 403   403   403   403   302   302
moderation:print_board              GET POST -                              login 403   403   403   403   200   200
# the LINE simulator exists only while the LINE settings point at the stand-in (development)
moderation:line_simulator           GET POST -                              login 403   403   403   403   404   404
moderation:assisted_inbox           GET POST -                              login 403   403   403   403   200   200
moderation:assisted_new             GET POST -                              login 403   403   403   403   200   200
moderation:assisted_detail          GET POST assisted                       login 403   403   403   403   200   200
moderation:assisted_receipt         GET POST assisted                       login 403   403   403   403   200   200
moderation:assisted_release         POST     assisted                       login 403   403   403   403   302   302
moderation:assisted_hand_over       POST     assisted                       login 403   403   403   403   302   302
moderation:assisted_edit            GET POST assisted                       login 403   403   403   403   200   200
moderation:assisted_withdraw        POST     assisted                       login 403   403   403   403   302   302
moderation:assisted_note            POST     assisted                       login 403   403   403   403   302   302
moderation:assisted_message         POST     assisted,assisted_conversation login 403   403   403   403   302   302
moderation:assisted_reserve         POST     assisted,assisted_conversation login 403   403   403   403   302   302
moderation:impact                   GET POST -                              login 403   403   403   403   200   200
moderation:impact_settings          GET POST -                              login 403   403   403   403   200   200
moderation:impact_csv               GET POST -                              login 403   403   403   403   200   200
moderation:line_segments            GET POST -                              login 403   403   403   403   200   200
# ward consultations (区民アンケート): a blank POST shows the form again, or is refused with a message
moderation:consultations            GET POST -                              login 403   403   403   403   200   200
moderation:consultation_new         GET POST -                              login 403   403   403   403   200   200
moderation:consultation             GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_edit        GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_question_new GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_question_edit GET POST consultation,consultation_question login 403   403   403   403   200   200
moderation:consultation_question_delete POST     consultation,consultation_question login 403   403   403   403   302   302
moderation:consultation_attachment_add POST     consultation                   login 403   403   403   403   302   302
moderation:consultation_attachment_delete POST     consultation,consultation_document login 403   403   403   403   302   302
moderation:consultation_publish     POST     consultation_draft             login 403   403   403   403   302   302
moderation:consultation_paper       GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_print       GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_comments    GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_comment_review POST     consultation,consultation_comment login 403   403   403   403   302   302
moderation:consultation_results_text GET POST consultation                   login 403   403   403   403   200   200
moderation:consultation_announce    POST     consultation                   login 403   403   403   403   302   302
moderation:rules                    GET POST -                              login 403   403   403   403   200   200
moderation:categories               GET POST -                              login 403   403   403   403   200   200
moderation:reason_templates         GET POST -                              login 403   403   403   403   200   200
moderation:reason_template_edit     GET POST reason_template                login 403   403   403   403   200   200
moderation:reason_template_delete   POST     reason_template                login 403   403   403   403   302   302
mirror_staff:endpoint_list          GET POST -                              login 403   403   403   403   200   200
mirror_staff:endpoint_create        GET POST -                              login 403   403   403   403   200   200
mirror_staff:endpoint_edit          GET POST endpoint                       login 403   403   403   403   200   200
mirror_staff:endpoint_rotate_secret POST     endpoint                       login 403   403   403   403   302   302
mirror_staff:endpoint_delete        GET      endpoint                       login 403   403   403   403   200   200
mirror_staff:endpoint_delete        POST     endpoint                       login 403   403   403   403   302   302
mirror_staff:delivery_list          GET POST endpoint                       login 403   403   403   403   200   200
mirror_staff:delivery_redeliver     POST     delivery                       login 403   403   403   403   302   302
community_staff:queue               GET POST -                              login 403   403   403   403   200   200
community_staff:post_hide           GET POST post                           login 403   403   403   403   200   200
community_staff:post_restore        GET POST post                           login 403   403   403   403   200   200
community_staff:post_approve        GET POST held_post                      login 403   403   403   403   200   200
community_staff:reveal_request      GET POST post                           login 403   403   403   403   200   200
community_staff:report_dismiss      POST     post_report                    login 403   403   403   403   302   302
community_staff:official_answer     POST     thread                         login 403   403   403   403   302   302
community_staff:reveal_list         GET POST -                              login 403   403   403   403   200   200
community_staff:reveal_decide       GET POST reveal                         login 403   403   403   403   200   200
# four eyes: only the staff member who asked sees the author, once approved (pending: back to the list)
community_staff:reveal_show         POST     reveal                         login 403   403   403   403   302   403
community_staff:ng_words            GET POST -                              login 403   403   403   403   200   200
community_staff:ng_word_delete      POST     ng_word                        login 403   403   403   403   302   302
community_staff:facility_import     GET POST -                              login 403   403   403   403   200   200
"""
