from django.urls import re_path

from hil_os_dashboard.content.admin_nodes import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
]
