"""The matrix, Django's admin: superusers only, with the second factor; everyone else is sent to
the admin's login page (302), which sends visitors on to allauth's. `obj` is a row of the page's
model (0 when the table is empty: the admin then redirects). Format: see test_matrix.py."""

TABLE = """
# url name                                                 methods                   args                 visit unver resid other susp  staff super
admin:index                                                GET POST                  -                    302   302   302   302   302   302   200
admin:login                                                GET                       -                    login 200   200   200   200   200   302
admin:login                                                POST                      -                    login 200   200   200   200   200   200
admin:logout                                               GET                       -                    302   302   302   302   302   302   405
admin:logout                                               POST                      -                    302   302   302   302   302   302   200
admin:password_change                                      GET POST                  -                    302   302   302   302   302   302   200
admin:password_change_done                                 GET                       -                    302   302   302   302   302   302   200
admin:password_change_done                                 POST                      -                    302   302   302   302   302   302   405
admin:autocomplete                                         GET                       -                    302   302   302   302   302   302   403
admin:autocomplete                                         POST                      -                    302   302   302   302   302   302   405
admin:jsi18n                                               GET                       -                    302   302   302   302   302   302   200
admin:jsi18n                                               POST                      -                    302   302   302   302   302   302   405
admin:view_on_site                                         GET POST                  listing_type,listing 302   302   302   302   302   302   302
admin:auth_group_changelist                                GET POST                  -                    302   302   302   302   302   302   200
admin:auth_group_add                                       GET POST                  -                    302   302   302   302   302   302   200
admin:auth_group_history                                   GET POST                  obj                  302   302   302   302   302   302   200
admin:auth_group_delete                                    GET POST                  obj                  302   302   302   302   302   302   200
admin:auth_group_change                                    GET POST                  obj                  302   302   302   302   302   302   200
admin/auth/group/<path:object_id>/                         GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:sites_site_changelist                                GET POST                  -                    302   302   302   302   302   302   200
admin:sites_site_add                                       GET POST                  -                    302   302   302   302   302   302   200
admin:sites_site_history                                   GET POST                  obj                  302   302   302   302   302   302   200
admin:sites_site_delete                                    GET POST                  obj                  302   302   302   302   302   302   200
admin:sites_site_change                                    GET POST                  obj                  302   302   302   302   302   302   200
admin/sites/site/<path:object_id>/                         GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:account_emailaddress_changelist                      GET POST                  -                    302   302   302   302   302   302   200
admin:account_emailaddress_add                             GET POST                  -                    302   302   302   302   302   302   200
admin:account_emailaddress_history                         GET POST                  obj                  302   302   302   302   302   302   200
admin:account_emailaddress_delete                          GET POST                  obj                  302   302   302   302   302   302   200
admin:account_emailaddress_change                          GET POST                  obj                  302   302   302   302   302   302   200
admin/account/emailaddress/<path:object_id>/               GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:socialaccount_socialapp_changelist                   GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialapp_add                          GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialapp_history                      GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialapp_delete                       GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialapp_change                       GET POST                  obj                  302   302   302   302   302   302   302
admin/socialaccount/socialapp/<path:object_id>/            GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:socialaccount_socialtoken_changelist                 GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialtoken_add                        GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialtoken_history                    GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialtoken_delete                     GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialtoken_change                     GET POST                  obj                  302   302   302   302   302   302   302
admin/socialaccount/socialtoken/<path:object_id>/          GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:socialaccount_socialaccount_changelist               GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialaccount_add                      GET POST                  -                    302   302   302   302   302   302   200
admin:socialaccount_socialaccount_history                  GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialaccount_delete                   GET POST                  obj                  302   302   302   302   302   302   302
admin:socialaccount_socialaccount_change                   GET POST                  obj                  302   302   302   302   302   302   302
admin/socialaccount/socialaccount/<path:object_id>/        GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:mfa_authenticator_changelist                         GET POST                  -                    302   302   302   302   302   302   200
admin:mfa_authenticator_add                                GET POST                  -                    302   302   302   302   302   302   200
admin:mfa_authenticator_history                            GET POST                  obj                  302   302   302   302   302   302   200
admin:mfa_authenticator_delete                             GET POST                  obj                  302   302   302   302   302   302   200
admin:mfa_authenticator_change                             GET POST                  obj                  302   302   302   302   302   302   200
admin/mfa/authenticator/<path:object_id>/                  GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:django_tasks_database_dbtaskresult_changelist        GET POST                  -                    302   302   302   302   302   302   200
admin:django_tasks_database_dbtaskresult_add               GET POST                  -                    302   302   302   302   302   302   403
admin:django_tasks_database_dbtaskresult_history           GET POST                  obj                  302   302   302   302   302   302   302
admin:django_tasks_database_dbtaskresult_delete            GET POST                  obj                  302   302   302   302   302   302   403
admin:django_tasks_database_dbtaskresult_change            GET POST                  obj                  302   302   302   302   302   302   302
admin/django_tasks_database/dbtaskresult/<path:object_id>/ GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:auth_user_password_change                            GET POST                  resident             302   302   302   302   302   302   200
admin:accounts_user_changelist                             GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_user_add                                    GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_user_history                                GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_user_delete                                 GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_user_change                                 GET POST                  obj                  302   302   302   302   302   302   200
admin/accounts/user/<path:object_id>/                      GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:accounts_town_changelist                             GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_town_add                                    GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_town_history                                GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_town_delete                                 GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_town_change                                 GET POST                  obj                  302   302   302   302   302   302   200
admin/accounts/town/<path:object_id>/                      GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:accounts_postalcode_changelist                       GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_postalcode_add                              GET POST                  -                    302   302   302   302   302   302   200
admin:accounts_postalcode_history                          GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_postalcode_delete                           GET POST                  obj                  302   302   302   302   302   302   200
admin:accounts_postalcode_change                           GET POST                  obj                  302   302   302   302   302   302   200
admin/accounts/postalcode/<path:object_id>/                GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:listings_category_changelist                         GET POST                  -                    302   302   302   302   302   302   200
admin:listings_category_add                                GET POST                  -                    302   302   302   302   302   302   200
admin:listings_category_history                            GET POST                  obj                  302   302   302   302   302   302   200
admin:listings_category_delete                             GET POST                  obj                  302   302   302   302   302   302   200
admin:listings_category_change                             GET POST                  obj                  302   302   302   302   302   302   200
admin/listings/category/<path:object_id>/                  GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:listings_listing_changelist                          GET POST                  -                    302   302   302   302   302   302   200
admin:listings_listing_add                                 GET POST                  -                    302   302   302   302   302   302   200
admin:listings_listing_history                             GET POST                  obj                  302   302   302   302   302   302   200
admin:listings_listing_delete                              GET POST                  obj                  302   302   302   302   302   302   200
admin:listings_listing_change                              GET POST                  obj                  302   302   302   302   302   302   200
admin/listings/listing/<path:object_id>/                   GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:core_auditrecord_changelist                    GET POST                  -                    302   302   302   302   302   302   200
admin:core_auditrecord_add                           GET POST                  -                    302   302   302   302   302   302   403
admin:core_auditrecord_history                       GET POST                  obj                  302   302   302   302   302   302   200
admin:core_auditrecord_delete                        GET POST                  obj                  302   302   302   302   302   302   403
admin:core_auditrecord_change                        GET                       obj                  302   302   302   302   302   302   200
admin:core_auditrecord_change                        POST                      obj                  302   302   302   302   302   302   403
admin/core/auditrecord/<path:object_id>/             GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:core_ngword_changelist                         GET POST                  -                    302   302   302   302   302   302   200
admin:core_ngword_add                                GET POST                  -                    302   302   302   302   302   302   200
admin:core_ngword_history                            GET POST                  obj                  302   302   302   302   302   302   200
admin:core_ngword_delete                             GET POST                  obj                  302   302   302   302   302   302   200
admin:core_ngword_change                             GET POST                  obj                  302   302   302   302   302   302   200
admin/core/ngword/<path:object_id>/                  GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:messaging_reservation_changelist                     GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_reservation_add                            GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_reservation_history                        GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_reservation_delete                         GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_reservation_change                         GET POST                  obj                  302   302   302   302   302   302   200
admin/messaging/reservation/<path:object_id>/              GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:messaging_messagereport_changelist                   GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_messagereport_add                          GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_messagereport_history                      GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_messagereport_delete                       GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_messagereport_change                       GET POST                  obj                  302   302   302   302   302   302   200
admin/messaging/messagereport/<path:object_id>/            GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:messaging_block_changelist                           GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_block_add                                  GET POST                  -                    302   302   302   302   302   302   200
admin:messaging_block_history                              GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_block_delete                               GET POST                  obj                  302   302   302   302   302   302   200
admin:messaging_block_change                               GET POST                  obj                  302   302   302   302   302   302   200
admin/messaging/block/<path:object_id>/                    GET POST PUT PATCH DELETE =1                   302   302   302   302   302   302   302
admin:app_list                                             GET POST                  =accounts            302   302   302   302   302   302   200
admin/(?P<url>.*)$                                         GET POST                  =nothing/            302   302   302   302   302   302   404
"""
