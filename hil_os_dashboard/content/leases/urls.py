from django.urls import re_path

from hil_os_dashboard.content.leases import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^(?P<lease>[^/]+)/extend/$', views.ExtendView.as_view(),
            name='extend'),
]
